// Copies the front-end packages installed by `npm ci` into kompetansebro/core/static/dist/.
//
// Nothing is fetched here and nothing needs a bundler: Designsystemet ships ready CSS (components and
// its default theme), htmx ships a minified file, and Fontsource ships the Inter font that the theme
// names. The output is rebuilt from scratch every time and is not committed (see .gitignore).
//
// Output:
//   designsystemet.css   all Designsystemet component classes (ds-button, ds-field, ...)
//   theme.css            the default Designsystemet theme (colours, sizes, typography tokens)
//   inter/inter.css      @font-face rules for "Inter Variable", with the woff2 files beside it
//   htmx.min.js          htmx 2
//   licenses/            the licence of each package copied

import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "kompetansebro", "core", "static", "dist");

// Packages are read straight from node_modules: some export maps hide package.json from require.resolve.
function packageDir(name) {
  const dir = join(root, "node_modules", ...name.split("/"));
  if (!existsSync(join(dir, "package.json"))) {
    throw new Error(`${name} is not installed: run \`npm ci\` first.`);
  }
  return dir;
}

function copy(from, to) {
  if (!existsSync(from)) {
    throw new Error(`Missing ${relative(root, from)}: run \`npm ci\` first.`);
  }
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  return to;
}

function version(dir) {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).version;
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const written = [];

// Designsystemet: components and the default theme.
const ds = packageDir("@digdir/designsystemet-css");
written.push(copy(join(ds, "dist", "src", "index.css"), join(out, "designsystemet.css")));
written.push(copy(join(ds, "dist", "theme", "designsystemet.css"), join(out, "theme.css")));
written.push(copy(join(ds, "LICENSE"), join(out, "licenses", "designsystemet-css.txt")));

// htmx.
const htmx = packageDir("htmx.org");
if (!version(htmx).startsWith("2.")) {
  throw new Error(`htmx.org ${version(htmx)} installed; Kompetansebro uses htmx 2.`);
}
written.push(copy(join(htmx, "dist", "htmx.min.js"), join(out, "htmx.min.js")));
written.push(copy(join(htmx, "LICENSE"), join(out, "licenses", "htmx.txt")));

// Inter (variable weight, upright), the typeface Designsystemet's theme uses. The browser downloads only
// the subsets a page needs (unicode-range), so every subset file the stylesheet names is copied.
const inter = packageDir("@fontsource-variable/inter");
const interCss = readFileSync(join(inter, "index.css"), "utf8");
const fontFiles = [...interCss.matchAll(/url\(\.\/files\/([^)]+\.woff2)\)/g)].map((match) => match[1]);
if (fontFiles.length === 0) {
  throw new Error("No font files found in @fontsource-variable/inter/index.css.");
}
for (const file of new Set(fontFiles)) {
  written.push(copy(join(inter, "files", file), join(out, "inter", "files", file)));
}
writeFileSync(join(out, "inter", "inter.css"), interCss);
written.push(join(out, "inter", "inter.css"));
written.push(copy(join(inter, "LICENSE"), join(out, "licenses", "inter.txt")));

// What was built, for people and for checks.
const manifest = {
  "@digdir/designsystemet-css": version(ds),
  "htmx.org": version(htmx),
  "@fontsource-variable/inter": version(inter),
};
writeFileSync(join(out, "versions.json"), `${JSON.stringify(manifest, null, 2)}\n`);

let total = 0;
for (const file of written) {
  total += statSync(file).size;
}
console.log(
  `Built ${written.length} files (${Math.round(total / 1024)} KiB) in ${relative(root, out)}: ` +
    Object.entries(manifest)
      .map(([name, v]) => `${name} ${v}`)
      .join(", "),
);
