using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>
/// A git project whose agents are cheap real processes (the <c>command</c> runtime with a <c>sleep</c>), for tests of
/// the real executable: headless lifecycles, detached engines, standalone spawns.
/// </summary>
internal static class CommandProject
{
    public static readonly IReadOnlyDictionary<string, string> GitIdentity = new Dictionary<string, string>
    {
        ["GIT_AUTHOR_NAME"] = "Aetherflow Tests",
        ["GIT_AUTHOR_EMAIL"] = "tests@aetherflow.invalid",
        ["GIT_COMMITTER_NAME"] = "Aetherflow Tests",
        ["GIT_COMMITTER_EMAIL"] = "tests@aetherflow.invalid",
    };

    /// <summary>Makes the home's project a git repository with one commit and a config that runs <paramref name="agentScript"/> as each agent.</summary>
    public static async Task InitAsync(TestHome home, string agentScript)
    {
        foreach ((string key, string value) in GitIdentity)
        {
            home.Variables[key] = value;
        }

        home.WriteConfig($"runtime: command\nspawn_cmd: \"sh -c '{agentScript}' agent\"\nmax_retries: 0\n");
        await GitAsync(home, "init", "-q", "-b", "main");
        await GitAsync(home, "add", "-A");
        await GitAsync(home, "commit", "-qm", "init");
    }

    /// <summary>One JSON-RPC call over the socket, the way a script would make it.</summary>
    public static async Task<JsonNode> CallAsync(string socketPath, string method, string parameters = "{}")
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
        await using var stream = new NetworkStream(socket);
        await stream.WriteAsync(Encoding.UTF8.GetBytes($$"""{"jsonrpc":"2.0","id":1,"method":"{{method}}","params":{{parameters}} }""" + "\n"));
        using var reader = new StreamReader(stream);
        string? reply = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return JsonNode.Parse(reply!)!;
    }

    public static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Split(' ')[2].Equals("Z", StringComparison.Ordinal);

    private static async Task GitAsync(TestHome home, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = home.ProjectDirectory, RedirectStandardError = true, RedirectStandardOutput = true };
        args.ToList().ForEach(start.ArgumentList.Add);
        foreach ((string key, string value) in GitIdentity)
        {
            start.Environment[key] = value;
        }

        using Process git = Process.Start(start)!;
        string error = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        Assert.That(git.ExitCode, Is.Zero, $"git {string.Join(' ', args)}: {error}");
    }
}
