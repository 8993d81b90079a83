/**
 * learndyn explorer: the analytic phase diagram of seed 001's curl descent with sliders, the
 * spectrum and a live simulation at a clicked point, and a phase portrait of any two-state rule.
 * Everything is computed in the page by learndyn's own code (bundled); the view lives in the URL.
 */
import { drawPhase, computeMap, markerCritical, type PhaseMap } from "./phase-view.ts";
import { drawPortrait, portraitRule } from "./portrait-view.ts";
import { runSimulation } from "./simulation-view.ts";
import { drawSpectrum } from "./spectrum-view.ts";
import { type ExplorerState, readState, writeState } from "./state.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
let state: ExplorerState = readState(location.search);
let map: PhaseMap | null = null;

function save(): void {
  const q = writeState(state);
  history.replaceState(null, "", q ? `?${q}` : location.pathname);
}

/** Redraws the phase diagram; recomputes the map only when α_r or the c range changed. */
function renderPhase(): void {
  const t0 = performance.now();
  if (!map || map.alphaR !== state.alphaR || map.cMin !== state.cMin || map.cMax !== state.cMax) map = computeMap(state);
  const cStar = markerCritical(state);
  const host = $("phase");
  host.replaceChildren(drawPhase(map, state, cStar, pick));
  host.dataset.cstar = cStar === null ? "none" : String(cStar);
  host.dataset.alphaH = String(state.alphaH);
  host.dataset.alphaR = String(state.alphaR);
  $("cstar").textContent =
    cStar === null ? `no crossing in [${state.cMin}, ${state.cMax}]` : `c*(α_h = ${state.alphaH}, α_r = ${state.alphaR}) = ${cStar.toPrecision(6)}`;
  host.dataset.renderMs = (performance.now() - t0).toFixed(2);
}

function renderPoint(simulate: boolean): void {
  const s = state.selected;
  $("point").textContent = s ? `selected c = ${s.c.toPrecision(4)}, α_h = ${s.alphaH.toFixed(3)}, α_r = ${state.alphaR}` : "click the map to pick a point";
  if (!s) return;
  $("spectrum").replaceChildren(drawSpectrum(s.c, s.alphaH, state.alphaR, 1));
  if (simulate) runSimulation($("simulation"), { c: s.c, alphaH: s.alphaH, alphaR: state.alphaR, seed: 1 });
}

function pick(c: number, alphaH: number): void {
  state = { ...state, selected: { c, alphaH } };
  save();
  renderPhase();
  renderPoint(true);
}

function renderPortrait(): void {
  const host = $("portrait");
  try {
    const { rule, field } = portraitRule(state.rule);
    host.replaceChildren(
      drawPortrait(rule, field, state.starts, (x, y) => {
        state = { ...state, starts: [...state.starts, [x, y]] };
        save();
        renderPortrait();
      }),
    );
    $("rule-error").textContent = "";
  } catch (e) {
    $("rule-error").textContent = e instanceof Error ? e.message : String(e);
  }
}

function bindSlider(id: "alphaH" | "alphaR" | "cMin" | "cMax", log: boolean): void {
  const input = $<HTMLInputElement>(id);
  const label = $(`${id}-value`);
  const show = () => {
    label.textContent = String(Number(state[id].toPrecision(3)));
  };
  input.value = String(log ? Math.log10(state[id]) : state[id]);
  show();
  input.addEventListener("input", () => {
    const v = Number(input.value);
    const value = Number((log ? 10 ** v : v).toPrecision(6));
    state = { ...state, [id]: value };
    if (state.cMax <= state.cMin * 1.01) return;
    show();
    save();
    renderPhase();
    if (id === "alphaR") renderPoint(true);
  });
}

function start(): void {
  bindSlider("alphaH", false);
  bindSlider("alphaR", false);
  bindSlider("cMin", true);
  bindSlider("cMax", true);
  const ruleText = $<HTMLTextAreaElement>("rule");
  ruleText.value = state.rule;
  $("rule-apply").addEventListener("click", () => {
    state = { ...state, rule: ruleText.value, starts: [] };
    save();
    renderPortrait();
  });
  $("traj-clear").addEventListener("click", () => {
    state = { ...state, starts: [] };
    save();
    renderPortrait();
  });
  renderPhase();
  renderPoint(true);
  renderPortrait();
  document.body.dataset.ready = "true";
}

start();
