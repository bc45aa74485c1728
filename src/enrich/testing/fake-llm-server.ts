/** Test helper: a local OpenAI-compatible chat completions server (node:http on 127.0.0.1, free port). */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeLlm {
  url: string;
  requests: { authorization?: string; model?: string; user?: string }[];
  close(): Promise<void>;
}

/** `answer(userText)` gives the assistant's content; 'HANG' never answers, 'HTTP500' fails. */
export async function startFakeLlm(answer: (user: string) => string): Promise<FakeLlm> {
  const requests: FakeLlm["requests"] = [];
  const body = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      model?: string;
      messages?: { role: string; content: string }[];
    };
  };
  const server: Server = createServer((req, res) => {
    if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
      res.writeHead(404).end();
      return;
    }
    void body(req).then((b) => {
      const user = b.messages?.find((m) => m.role === "user")?.content ?? "";
      requests.push({ authorization: req.headers.authorization, model: b.model, user });
      const content = answer(user);
      if (content === "HANG") return;
      if (content === "HTTP500") {
        res.writeHead(500).end("boom");
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-test",
          object: "chat.completion",
          model: b.model,
          choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
