/** Clicks on an Observable Plot figure, in the data coordinates of its x and y scales. */

/**
 * Calls `onClick(x, y)` with the data coordinates of each click on the plot's own SVG (the last
 * one in its figure: legends come first), and shows a crosshair cursor there.
 */
export function onPlotClick(
  plot: (SVGSVGElement | HTMLElement) & { scale(name: "x" | "y"): { invert?: (v: number) => unknown } | undefined },
  onClick: (x: number, y: number) => void,
): void {
  const svg = (plot.tagName === "svg" ? plot : [...plot.querySelectorAll("svg")].at(-1)!) as SVGSVGElement;
  const xs = plot.scale("x")!;
  const ys = plot.scale("y")!;
  svg.addEventListener("click", (event: MouseEvent) => {
    const box = svg.getBoundingClientRect();
    const px = ((event.clientX - box.left) * svg.viewBox.baseVal.width) / box.width;
    const py = ((event.clientY - box.top) * svg.viewBox.baseVal.height) / box.height;
    onClick(xs.invert!(px) as number, ys.invert!(py) as number);
  });
  svg.style.cursor = "crosshair";
}
