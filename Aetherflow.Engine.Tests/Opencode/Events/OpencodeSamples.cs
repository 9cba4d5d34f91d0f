using System.Text;

namespace Aetherflow.Engine.Tests.Opencode.Events;

/// <summary>
/// Realistic opencode 1.18 events, built from the shapes measured in opencode-offline.md §6: the whole §6.2 sequence
/// of one session that runs one bash tool call, as <c>GET /global/event</c> envelopes.
/// </summary>
public static class OpencodeSamples
{
    public const string Session = "ses_4f0d2b1a7ffe3kQh9Zr2Vx8TmN";
    public const string ProjectDirectory = "/work/project";
    public const string UserMessage = "msg_b0f2d2c91001aVbN3kQ7yPz8Wd";
    public const string ToolStep = "msg_b0f2d2c9a002xQ8mL4nR6tJ1Ke";
    public const string FinalStep = "msg_b0f2d2cb3003pZ5cT2vH9sG7Lw";
    public const string ToolPart = "prt_b0f2d2c9c004kL9xW3bN5mQ2Rt";
    public const string TextPart = "prt_b0f2d2cb5006tR4yU8iO2pA6Sd";
    public const string UserTextPart = "prt_b0f2d2c91002uT5rE3wQ1aZ9Xc";
    public const string StepStartOne = "prt_b0f2d2c9b003sN2dF6gH8jK4Lm";
    public const string StepFinishOne = "prt_b0f2d2c9d005fG7hJ9kL1zX3Cv";
    public const string PatchPart = "prt_b0f2d2c9e006hJ2kL4zX6cV8Bn";
    public const string StepStartTwo = "prt_b0f2d2cb4005qW8eR1tY3uI5Op";
    public const string StepFinishTwo = "prt_b0f2d2cb6007aS3dF5gH7jK9Lz";
    public const long T0 = 1795382943403;

    public static string Global(string type, string properties, string directory = ProjectDirectory) =>
        $$"""{"directory":"{{directory}}","project":"global","payload":{"id":"evt_{{Guid.NewGuid():N}}","type":"{{type}}","properties":{{properties}} } }""";

    public static string SessionInfo(long updated) =>
        $$"""{"id":"{{Session}}","slug":"eager-harbor","projectID":"global","directory":"{{ProjectDirectory}}","path":"","summary":{"additions":0,"deletions":0,"files":0},"cost":0,"tokens":{"input":0,"output":0,"reasoning":0,"cache":{"read":0,"write":0} },"title":"AF-RUN-42","version":"1.18.33","metadata":{"af_run_id":"run-47"},"time":{"created":{{T0}},"updated":{{updated}} } }""";

    public static string User() =>
        $$"""{"info":{"id":"{{UserMessage}}","role":"user","sessionID":"{{Session}}","time":{"created":{{T0 + 10}} },"agent":"build","model":{"providerID":"fake","modelID":"fake-model"} } }""";

    public static string Assistant(string id, long created, string? finish = null, long? completed = null, int input = 0, int output = 0, int cacheRead = 0, double cost = 0, string? error = null)
    {
        string time = completed is { } c ? $$"""{"created":{{created}},"completed":{{c}} }""" : $$"""{"created":{{created}} }""";
        string finishField = finish is null ? string.Empty : $$""","finish":"{{finish}}" """.TrimEnd();
        string errorField = error is null ? string.Empty : "," + "\"error\":" + error;
        return $$"""{"info":{"id":"{{id}}","parentID":"{{UserMessage}}","role":"assistant","mode":"build","agent":"build","path":{"cwd":"{{ProjectDirectory}}","root":"{{ProjectDirectory}}"},"cost":{{cost.ToString(System.Globalization.CultureInfo.InvariantCulture)}},"tokens":{"total":{{input + output}},"input":{{input}},"output":{{output}},"reasoning":0,"cache":{"read":{{cacheRead}},"write":0} },"modelID":"fake-model","providerID":"fake","time":{{time}}{{finishField}}{{errorField}},"sessionID":"{{Session}}"} }""";
    }

    public static string Part(string part) => $$"""{"part":{{part}} }""";

    public static string Tool(string state, string partId = ToolPart, string tool = "bash") =>
        Part($$"""{"id":"{{partId}}","messageID":"{{ToolStep}}","sessionID":"{{Session}}","type":"tool","tool":"{{tool}}","callID":"call_8hY2kLmQ","state":{{state}} }""");

    public const string BashInput = """{"command":"echo hello > out.txt","description":"Write hello to out.txt"}""";

    public static string Pending() => Tool("""{"status":"pending","input":{},"raw":""}""");

    public static string Running(string metadata = "{}") => Tool($$"""{"status":"running","input":{{BashInput}},"time":{"start":{{T0 + 300}} },"metadata":{{metadata}} }""");

    public static string Completed() =>
        Tool($$"""{"status":"completed","input":{{BashInput}},"output":"(no output)","metadata":{"output":"(no output)","exit":0,"truncated":false,"description":"Write hello to out.txt"},"title":"echo hello > out.txt","time":{"start":{{T0 + 300}},"end":{{T0 + 312}} } }""");

    public static string AssistantText(string text, bool ended) =>
        Part($$"""{"id":"{{TextPart}}","messageID":"{{FinalStep}}","sessionID":"{{Session}}","type":"text","text":"{{text}}","time":{{(ended ? $$"""{"start":{{T0 + 400}},"end":{{T0 + 420}}}""" : $$"""{"start":{{T0 + 400}}}""")}}}""");

    public static string StepFinish(string id, string messageId, string reason, int input, int output, int cacheRead) =>
        Part($$"""{"id":"{{id}}","reason":"{{reason}}","snapshot":"4b825dc642cb6eb9a060e54bf8d69288fbee4904","messageID":"{{messageId}}","sessionID":"{{Session}}","type":"step-finish","tokens":{"total":{{input + output}},"input":{{input}},"output":{{output}},"reasoning":0,"cache":{"write":0,"read":{{cacheRead}} } },"cost":0}""");

    public static string UserText() =>
        Part($$"""{"id":"{{UserTextPart}}","messageID":"{{UserMessage}}","sessionID":"{{Session}}","type":"text","text":"Create out.txt containing hello" }""");

    public static string StepStart(string id, string messageId) =>
        Part($$"""{"id":"{{id}}","messageID":"{{messageId}}","sessionID":"{{Session}}","type":"step-start","snapshot":"4b825dc642cb6eb9a060e54bf8d69288fbee4904" }""");

    public static string Patch() =>
        Part($$"""{"id":"{{PatchPart}}","messageID":"{{ToolStep}}","sessionID":"{{Session}}","type":"patch","hash":"9f1c2d","files":["{{ProjectDirectory}}/out.txt"]}""");

    public static string Status(string status) => $$"""{"sessionID":"{{Session}}","status":{{status}} }""";

    public static string Idle() => $$"""{"sessionID":"{{Session}}"}""";

    /// <summary>The §6.2 sequence for one bash tool call, as /global/event data lines, in arrival order.</summary>
    public static IReadOnlyList<string> BashSession() =>
    [
        """{"payload":{"id":"evt_c0","type":"server.connected","properties":{}}}""",
        Global("session.created", $$"""{"info":{{SessionInfo(T0)}} }"""),
        Global("session.updated", $$"""{"info":{{SessionInfo(T0 + 5)}} }"""),
        Global("message.updated", User()),
        Global("message.part.updated", UserText()),
        Global("session.status", Status("""{"type":"busy"}""")),
        Global("message.updated", Assistant(ToolStep, T0 + 100)),
        Global("session.diff", $$"""{"sessionID":"{{Session}}","diff":[]}"""),
        Global("catalog.updated", "{}"),
        Global("plugin.added", """{"id":"opencode-anthropic-auth"}"""),
        Global("message.part.updated", StepStart(StepStartOne, ToolStep)),
        Global("message.part.updated", Pending()),
        Global("message.part.updated", Running()),
        Global("message.part.updated", Running("""{"output":""}""")),
        Global("message.part.updated", Completed()),
        Global("file.watcher.updated", $$"""{"file":"{{ProjectDirectory}}/out.txt","event":"add"}"""),
        Global("message.part.updated", StepFinish(StepFinishOne, ToolStep, "tool-calls", 100, 20, 0)),
        Global("message.updated", Assistant(ToolStep, T0 + 100, finish: "tool-calls", input: 100, output: 20, cost: 0.0012)),
        Global("message.updated", Assistant(ToolStep, T0 + 100, finish: "tool-calls", completed: T0 + 330, input: 100, output: 20, cost: 0.0012)),
        Global("message.part.updated", Patch()),
        Global("message.updated", Assistant(FinalStep, T0 + 340)),
        Global("message.part.updated", StepStart(StepStartTwo, FinalStep)),
        Global("message.part.updated", AssistantText(string.Empty, ended: false)),
        Global("message.part.delta", $$"""{"sessionID":"{{Session}}","messageID":"{{FinalStep}}","partID":"{{TextPart}}","field":"text","delta":"Done: "}"""),
        Global("message.part.delta", $$"""{"sessionID":"{{Session}}","messageID":"{{FinalStep}}","partID":"{{TextPart}}","field":"text","delta":"created out.txt"}"""),
        Global("message.part.updated", AssistantText("Done: created out.txt", ended: true)),
        Global("message.part.updated", StepFinish(StepFinishTwo, FinalStep, "stop", 110, 8, 100)),
        Global("message.updated", Assistant(FinalStep, T0 + 340, finish: "stop", input: 110, output: 8, cacheRead: 100, cost: 0.0008)),
        Global("message.updated", Assistant(FinalStep, T0 + 340, finish: "stop", completed: T0 + 430, input: 110, output: 8, cacheRead: 100, cost: 0.0008)),
        Global("session.status", Status("""{"type":"idle"}""")),
        Global("session.idle", Idle()),
        Global("session.updated", $$"""{"info":{{SessionInfo(T0 + 440)}} }"""),
        """{"payload":{"id":"evt_hb","type":"server.heartbeat","properties":{}}}""",
    ];

    /// <summary>The body of GET /session/:id/message after the session above: final states only.</summary>
    public static string Messages() =>
        "[" + string.Join(
            ",\n",
            Entry(Inner(User()), InnerPart(UserText())),
            Entry(
                Inner(Assistant(ToolStep, T0 + 100, finish: "tool-calls", completed: T0 + 330, input: 100, output: 20, cost: 0.0012)),
                InnerPart(StepStart(StepStartOne, ToolStep)),
                InnerPart(Completed()),
                InnerPart(StepFinish(StepFinishOne, ToolStep, "tool-calls", 100, 20, 0)),
                InnerPart(Patch())),
            Entry(
                Inner(Assistant(FinalStep, T0 + 340, finish: "stop", completed: T0 + 430, input: 110, output: 8, cacheRead: 100, cost: 0.0008)),
                InnerPart(StepStart(StepStartTwo, FinalStep)),
                InnerPart(AssistantText("Done: created out.txt", ended: true)),
                InnerPart(StepFinish(StepFinishTwo, FinalStep, "stop", 110, 8, 100)))) + "]";

    /// <summary>Frames data lines as an SSE stream.</summary>
    public static string ToSse(IEnumerable<string> data) => string.Concat(data.Select(d => "data: " + d + "\n\n"));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static string Entry(string info, params string[] parts) => "{\"info\":" + info + ",\"parts\":[" + string.Join(",", parts) + "]}";

    private static string Inner(string wrapped) => wrapped["{\"info\":".Length..^1];

    private static string InnerPart(string wrapped) => wrapped["{\"part\":".Length..^1];
}
