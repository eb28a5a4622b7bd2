// Preloaded into the measured command (node --require): its peak resident set size, on stderr, as it exits.
process.on('exit', () => {
  process.stderr.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
});
