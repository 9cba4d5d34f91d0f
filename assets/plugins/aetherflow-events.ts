// aetherflow-events: forwards this opencode server's events to an aetherflow engine over its Unix socket.
//
// Installed by `aetherflow install` into opencode's config folder, so it loads into every opencode instance of the
// user. It does nothing unless the server's environment has AETHERFLOW_SOCKET (the engine sets it on the servers it
// manages; set it yourself on an `opencode serve` you run for `server_url`). See docs/opencode.md, "The event plugin".
//
// Wire format: one JSON-RPC 2.0 notification per line on one persistent connection,
//   {"jsonrpc":"2.0","method":"session.event","params":{"seq":N,"time":ms,"dropped":D,"directory":"…","event":{id,type,properties}}}
// where `event` is opencode's event unchanged, `seq` counts every event this plugin saw (a gap means events were
// lost, and the engine backfills), `time` is when the hook ran and `dropped` how many were lost so far. The first line
// of every connection is the same notification carrying an `af.plugin.loaded` hello.
//
// Rules: never await the engine inside the event hook, never throw into opencode, never hold more than a bounded
// queue (the oldest events are dropped first and counted), reconnect at most once a second.

import type { Plugin } from "@opencode-ai/plugin"
import { createConnection, type Socket } from "node:net"

const PROTOCOL = 1
const MAX_QUEUED_EVENTS = 5000
const MAX_QUEUED_BYTES = 16 * 1024 * 1024
// The engine refuses (and disconnects) frames over 1 MiB; stay below it with room for the envelope.
const MAX_EVENT_BYTES = 1_000_000
const RECONNECT_INTERVAL_MS = 1000

interface Pending {
  seq: number
  time: number
  directory: string
  body: string
  bytes: number
}

class Forwarder {
  private readonly source = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`
  private readonly directories = new Set<string>()
  private queue: Pending[] = []
  private head = 0
  private queuedBytes = 0
  private seq = 0
  private dropped = 0
  private socket: Socket | undefined
  private connected = false
  private blocked = false
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined
  private lastAttempt = 0

  constructor(
    private readonly socketPath: string,
    private readonly project: string | undefined,
  ) {}

  attach(directory: string): void {
    this.directories.add(directory)
    this.connect()
  }

  // Called from the event hook: synchronous, bounded work, never throws.
  push(directory: string, event: unknown): void {
    this.seq++
    let body: string
    try {
      body = JSON.stringify(event) ?? "null"
    } catch {
      this.dropped++
      return
    }

    const bytes = body.length * 3 > MAX_EVENT_BYTES ? Buffer.byteLength(body) : body.length
    if (bytes > MAX_EVENT_BYTES) {
      // Too large for one frame (a whole-file diff, a huge tool output): the seq gap makes the engine backfill it.
      this.dropped++
      return
    }

    this.queue.push({ seq: this.seq, time: Date.now(), directory, body, bytes })
    this.queuedBytes += bytes
    while (this.queue.length - this.head > MAX_QUEUED_EVENTS || this.queuedBytes > MAX_QUEUED_BYTES) {
      const oldest = this.queue[this.head++]
      this.queuedBytes -= oldest.bytes
      this.dropped++
    }

    this.flush()
    if (!this.connected) {
      this.connect()
    }
  }

  private connect(): void {
    if (this.socket !== undefined || this.reconnectTimer !== undefined) {
      return
    }

    const wait = this.lastAttempt + RECONNECT_INTERVAL_MS - Date.now()
    if (wait > 0) {
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = undefined
        this.connect()
      }, wait)
      this.reconnectTimer.unref?.()
      return
    }

    this.lastAttempt = Date.now()
    let socket: Socket
    try {
      socket = createConnection({ path: this.socketPath })
    } catch {
      this.connect()
      return
    }

    this.socket = socket
    socket.unref?.()
    socket.setNoDelay?.(true)
    socket.on("connect", () => {
      this.connected = true
      this.blocked = false
      this.write(this.hello())
      this.flush()
    })
    socket.on("drain", () => {
      this.blocked = false
      this.flush()
    })
    // The engine answers only bad frames; read and forget so its replies never fill a buffer.
    socket.on("data", () => {})
    socket.on("error", () => this.lost(socket))
    socket.on("close", () => this.lost(socket))
  }

  // The engine is away (not started yet, restarting, stopped): keep queueing and try again within a second.
  private lost(socket: Socket): void {
    if (this.socket !== socket) {
      return
    }

    this.socket = undefined
    this.connected = false
    this.blocked = false
    socket.destroy()
    this.connect()
  }

  private flush(): void {
    while (this.connected && !this.blocked && this.head < this.queue.length) {
      const next = this.queue[this.head++]
      this.queuedBytes -= next.bytes
      this.write(
        `{"jsonrpc":"2.0","method":"session.event","params":{"seq":${next.seq},"time":${next.time},"dropped":${this.dropped},` +
          `"directory":${JSON.stringify(next.directory)},"event":${next.body}}}\n`,
      )
    }

    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
  }

  private write(line: string): void {
    try {
      if (this.socket !== undefined && this.socket.write(line) === false) {
        this.blocked = true
      }
    } catch {
      this.socket?.destroy()
    }
  }

  private hello(): string {
    const hello = {
      type: "af.plugin.loaded",
      protocol: PROTOCOL,
      source: this.source,
      pid: process.pid,
      project: this.project,
      directories: [...this.directories],
    }
    return `{"jsonrpc":"2.0","method":"session.event","params":{"seq":0,"time":${Date.now()},"dropped":${this.dropped},"event":${JSON.stringify(hello)}}}\n`
  }
}

// One forwarder (one connection) per server process and socket, shared by every directory instance of the server.
const forwarders = new Map<string, Forwarder>()

export const AetherflowEvents: Plugin = async ({ directory }) => {
  try {
    const socketPath = process.env.AETHERFLOW_SOCKET
    if (!socketPath) {
      return {}
    }

    let forwarder = forwarders.get(socketPath)
    if (forwarder === undefined) {
      forwarder = new Forwarder(socketPath, process.env.AETHERFLOW_PROJECT || undefined)
      forwarders.set(socketPath, forwarder)
    }

    const instance = forwarder
    instance.attach(directory)
    return {
      event: async ({ event }) => {
        try {
          instance.push(directory, event)
        } catch {
          // Never let forwarding disturb opencode.
        }
      },
    }
  } catch {
    return {}
  }
}
