// Timings the browser test reads (window.aePlayground.stats) and reports: when the first
// diagnostics were shown after the page started, and how long each edit took to be analysed and
// shown (from the edit to the problem list updated).
const started = performance.timeOrigin;

export const stats = {
  /** Milliseconds from navigation start to the first diagnostics on screen. */
  firstDiagnosticsMs: undefined as number | undefined,
  /** Milliseconds each analysis took (analysis + showing it). */
  analysisMs: [] as number[],
  /** Milliseconds from each edit to its diagnostics on screen. */
  editToDiagnosticsMs: [] as number[],
  analyses: 0,
  pendingEdit: undefined as number | undefined,
  markFirstDiagnostics(): void {
    this.firstDiagnosticsMs = performance.now();
  },
  markEdit(): void {
    this.pendingEdit ??= performance.now();
  },
  recordAnalysis(ms: number, _diagnostics: number): void {
    this.analyses++;
    this.analysisMs.push(ms);
    if (this.pendingEdit !== undefined) {
      this.editToDiagnosticsMs.push(performance.now() - this.pendingEdit);
      this.pendingEdit = undefined;
    }
  },
  origin: started,
};
