using System.Globalization;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>
/// Realistic opencode <c>message.part.updated</c> events (the shapes opencode 1.18 sends — see
/// <c>shared/reference/opencode-offline.md</c> §6): one agent step cycles through step-start, a bash tool call
/// (pending, running, completed with output), step-finish with tokens, and a finished text part. Every event has its
/// own <c>evt_</c> id and part state, so none is dropped as a duplicate.
/// </summary>
internal static class EventSamples
{
    private const string Output = "Restore complete (0.4s)\\n  Aetherflow.Engine succeeded (2.1s) → bin/Release/net10.0/Aetherflow.Engine.dll\\n  Aetherflow.Tui succeeded (1.3s) → bin/Release/net10.0/aetherflow.dll\\nBuild succeeded in 4.2s\\n";
    private const string Text = "The build passes now. I changed the event pump so that a gap in the stream triggers a backfill of every tracked session, and added a test that drops the connection halfway through a turn and checks that no event is lost or stored twice.";

    /// <summary>A session id for session <paramref name="n"/> of run <paramref name="run"/>.</summary>
    public static string Session(int run, int n) => string.Create(CultureInfo.InvariantCulture, $"ses_bench{run:D4}x{n:D5}");

    /// <summary>The <paramref name="index"/>th event of <paramref name="session"/> as <c>{id,type,properties}</c>.</summary>
    public static string Event(string session, int index)
    {
        int step = index / 6;
        string partId = string.Create(CultureInfo.InvariantCulture, $"prt_{session[4..]}{index:D7}");
        string tool = string.Create(CultureInfo.InvariantCulture, $"prt_{session[4..]}{step:D7}t");
        string message = string.Create(CultureInfo.InvariantCulture, $"msg_{session[4..]}{step:D6}");
        long start = 1795382943403 + (index * 37L);
        string head = $"\"messageID\":\"{message}\",\"sessionID\":\"{session}\"";
        string bash = $"\"type\":\"tool\",\"tool\":\"bash\",\"callID\":\"call_{step}\"";
        const string Input = "\"input\":{\"command\":\"dotnet build -c Release\",\"description\":\"Build the solution\"}";
        const string Snapshot = "\"snapshot\":\"4b825dc642cb6eb9a060e54bf8d69288fbee4904\"";
        string part = (index % 6) switch
        {
            0 => $"{{\"id\":\"{partId}\",{head},\"type\":\"step-start\",{Snapshot}}}",
            1 => $"{{\"id\":\"{tool}\",{head},{bash},\"state\":{{\"status\":\"pending\",\"input\":{{}},\"raw\":\"\"}}}}",
            2 => $"{{\"id\":\"{tool}\",{head},{bash},\"state\":{{\"status\":\"running\",{Input},\"time\":{{\"start\":{start}}},\"metadata\":{{}}}}}}",
            3 => $"{{\"id\":\"{tool}\",{head},{bash},\"state\":{{\"status\":\"completed\",{Input},\"output\":\"{Output}\",\"metadata\":{{\"exit\":0,\"truncated\":false}},\"title\":\"dotnet build -c Release\",\"time\":{{\"start\":{start - 900},\"end\":{start}}}}}}}",
            4 => $"{{\"id\":\"{partId}\",{head},\"type\":\"step-finish\",\"reason\":\"tool-calls\",{Snapshot},\"tokens\":{{\"input\":5210,\"output\":184,\"reasoning\":0,\"cache\":{{\"read\":4096,\"write\":0}}}},\"cost\":0.0021}}",
            _ => $"{{\"id\":\"{partId}\",{head},\"type\":\"text\",\"text\":\"{Text}\",\"time\":{{\"start\":{start - 400},\"end\":{start}}}}}",
        };
        return $"{{\"id\":\"evt_{session[4..]}{index:D7}\",\"type\":\"message.part.updated\",\"properties\":{{\"part\":{part}}}}}";
    }

    /// <summary>The plugin's <c>session.event</c> notification carrying <paramref name="eventJson"/>.</summary>
    public static string PluginNotification(long sequence, string directory, string eventJson) =>
        "{\"jsonrpc\":\"2.0\",\"method\":\"session.event\",\"params\":" + PluginParams(sequence, directory, eventJson) + "}";

    /// <summary>The params of the plugin's <c>session.event</c> notification.</summary>
    public static string PluginParams(long sequence, string directory, string eventJson) =>
        string.Create(CultureInfo.InvariantCulture, $"{{\"seq\":{sequence},\"time\":1795382943403,\"dropped\":0,\"directory\":\"{directory}\",\"event\":{eventJson}}}");

    /// <summary>The plugin's hello (<c>af.plugin.loaded</c>), first on its connection.</summary>
    public static string PluginHello(string source, string project) =>
        PluginNotification(0, "/", $$$"""{"type":"af.plugin.loaded","protocol":1,"source":"{{{source}}}","pid":{{{Environment.ProcessId}}},"project":"{{{project}}}"}""");

    /// <summary>One <c>GET /global/event</c> SSE record carrying <paramref name="eventJson"/>.</summary>
    public static string GlobalSse(string directory, string eventJson) =>
        $$$"""data: {"directory":"{{{directory}}}","project":"prj_bench","payload":{{{eventJson}}}}""" + "\n\n";
}
