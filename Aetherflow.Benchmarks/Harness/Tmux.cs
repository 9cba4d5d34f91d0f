using System.Diagnostics;
using System.Globalization;

namespace Aetherflow.Benchmarks.Harness;

/// <summary>
/// A real terminal for a program: a detached session on a private tmux server (as the dashboard tests use), read with
/// <c>capture-pane</c>. The pane's program is a direct child of the tmux server, so its pid is known.
/// </summary>
internal sealed class Tmux : IDisposable
{
    private readonly string server = "afbench-" + Guid.NewGuid().ToString("N")[..8];

    private Tmux()
    {
    }

    /// <summary>Starts <paramref name="argv"/> (run with <c>exec</c>, so the pane's pid is the program's) in a new session.</summary>
    public static async Task<Tmux> StartAsync(IReadOnlyList<string> argv, string workingDirectory, IReadOnlyDictionary<string, string> environment, int width, int height, CancellationToken cancellationToken)
    {
        var session = new Tmux();
        // remain-on-exit keeps the pane of a program that ended, so its last words can be read.
        var args = new List<string> { "start-server", ";", "set-option", "-g", "remain-on-exit", "on", ";", "new-session", "-d", "-s", "main", "-x", width.ToString(CultureInfo.InvariantCulture), "-y", height.ToString(CultureInfo.InvariantCulture), "-c", workingDirectory };
        foreach ((string key, string value) in environment)
        {
            args.Add("-e");
            args.Add($"{key}={value}");
        }

        args.Add("-e");
        args.Add("TERM=xterm-256color");
        args.Add("exec " + string.Join(' ', argv.Select(Quote)));
        await session.RunAsync(args, cancellationToken);
        return session;
    }

    /// <summary>The pid of the program in the pane.</summary>
    public async Task<int> PanePidAsync(CancellationToken cancellationToken) =>
        int.Parse((await RunAsync(["display-message", "-p", "-t", "main", "#{pane_pid}"], cancellationToken)).Trim(), CultureInfo.InvariantCulture);

    /// <summary>The pane's state in one line (for errors): dead or alive, exit status, program.</summary>
    public Task<string> DescribeAsync(CancellationToken cancellationToken) =>
        RunAsync(["list-panes", "-t", "main", "-F", "dead=#{pane_dead} status=#{pane_dead_status} pid=#{pane_pid} command=#{pane_current_command} start=#{pane_start_command}"], cancellationToken);

    public Task<string> CaptureAsync(CancellationToken cancellationToken) => RunAsync(["capture-pane", "-p", "-t", "main"], cancellationToken);

    public Task SendKeysAsync(string keys, CancellationToken cancellationToken) => RunAsync(["send-keys", "-t", "main", keys], cancellationToken);

    /// <summary>True while the pane's program runs (the session ends with it).</summary>
    public async Task<bool> IsRunningAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunAsync(["has-session", "-t", "main"], cancellationToken);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        using Process? kill = Process.Start(new ProcessStartInfo("tmux", ["-L", server, "kill-server"]) { RedirectStandardError = true, RedirectStandardOutput = true });
        kill?.WaitForExit();
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private Task<string> RunAsync(IEnumerable<string> args, CancellationToken cancellationToken) =>
        Shell.RunAsync("tmux", ["-L", server, .. args], null, null, cancellationToken);
}
