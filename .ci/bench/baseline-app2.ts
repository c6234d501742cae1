// Baseline for `make bench`: app2's job (reverse a message by grapheme) with nothing but Bun.serve,
// so the benchmark can show what the framework, validation, logging and metrics of the real app2 cost.
const segmenter = new Intl.Segmenter();
const printableAscii = /^[\x20-\x7e]*$/;

function reverseGraphemes(text: string): string {
  // The same shortcut as the real app2 (one character, one grapheme), so both do the same work per message.
  if (printableAscii.test(text)) return text.split("").reverse().join("");
  return Array.from(segmenter.segment(text), (part) => part.segment)
    .reverse()
    .join("");
}

const server = Bun.serve({
  port: Number(process.env.PORT ?? 3002),
  routes: {
    "/health": () => Response.json({ status: "ok" }),
    "/api2/send/:message": (request) => {
      const original = request.params.message;
      return Response.json({ original, processed: reverseGraphemes(original) });
    },
  },
  fetch: () => new Response("Not Found", { status: 404 }),
});

process.on("SIGTERM", async () => {
  await server.stop();
  process.exit(0);
});
