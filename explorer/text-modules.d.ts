/** Rule files bundled as text (esbuild's text loader). */
declare module "*.rule" {
  const text: string;
  export default text;
}
