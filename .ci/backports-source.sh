#!/usr/bin/env bash
# Prints an apt source (deb822) for this Debian release's backports suite, built from the
# machine's own apt configuration: the URIs (and Signed-By) of the sources that carry the
# release's main suite, so the mirror a site uses is kept and no host is written into the repo.
#   .ci/backports-source.sh > /etc/apt/sources.list.d/<codename>-backports.sources
# Reads /etc/apt/sources.list.d/*.sources (deb822), /etc/apt/sources.list and
# /etc/apt/sources.list.d/*.list (one-line format). APT_ROOT prefixes every path (for tests).
# Exits 1, saying why, when the release or a source of its main suite cannot be found.
set -euo pipefail
root=${APT_ROOT:-}
codename=$( (. "$root/etc/os-release" 2>/dev/null && echo "${VERSION_CODENAME:-}") || true)
if [ -z "$codename" ]; then
  echo "backports-source: no VERSION_CODENAME in $root/etc/os-release" >&2; exit 1
fi
shopt -s nullglob
deb822=("$root"/etc/apt/sources.list.d/*.sources)
oneline=("$root"/etc/apt/sources.list "$root"/etc/apt/sources.list.d/*.list)
existing=()
for f in "${oneline[@]}"; do [ -f "$f" ] && existing+=("$f"); done

# One line per usable source of suite $codename: "URI<TAB>SIGNED-BY" (SIGNED-BY may be empty).
found=$(
  {
    if [ ${#deb822[@]} -gt 0 ]; then awk -v suite="$codename" '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && enabled != "no" && (" " suites " ") ~ (" " suite " "))
          for (i = 1; i <= n; i++) print uris_a[i] "\t" signed
        types = ""; suites = ""; signed = ""; enabled = ""; n = 0
      }
      FNR == 1 { flush() }
      /^[ \t]*#/ { next }
      /^[ \t]*$/ { flush(); next }
      {
        field = tolower($1); sub(/:$/, "", field); value = $0; sub(/^[^:]*:[ \t]*/, "", value)
        if (field == "types") types = value
        else if (field == "suites") suites = value
        else if (field == "signed-by") signed = value
        else if (field == "enabled") enabled = tolower(value)
        else if (field == "uris") n = split(value, uris_a, /[ \t]+/)
      }
      END { flush() }' "${deb822[@]}"; fi
    if [ ${#existing[@]} -gt 0 ]; then awk -v suite="$codename" '
      $1 == "deb" {
        signed = ""; i = 2
        if ($2 ~ /^\[/) {
          for (; i <= NF; i++) {
            if ($i ~ /^\[?signed-by=/) { signed = $i; sub(/^\[?signed-by=/, "", signed); sub(/\]$/, "", signed) }
            if ($i ~ /\]$/) { i++; break }
          }
        }
        if ($(i + 1) == suite) print $i "\t" signed
      }' "${existing[@]}"; fi
  } | awk '!seen[$1]++'
)
if [ -z "$found" ]; then
  echo "backports-source: no apt source of suite $codename in $root/etc/apt (sources.list, sources.list.d)" >&2
  exit 1
fi
uris=$(printf '%s\n' "$found" | cut -f1 | paste -sd' ')
signed=$(printf '%s\n' "$found" | cut -f2 | awk 'NF' | head -1)
echo "Types: deb"
echo "URIs: $uris"
echo "Suites: $codename-backports"
echo "Components: main"
[ -n "$signed" ] && echo "Signed-By: $signed"
exit 0
