using System.Diagnostics;

namespace Aetherflow.Tui.Tests.Support;

/// <summary>
/// A real terminal: a detached tmux session on a private tmux server, driven with send-keys and read with
/// capture-pane — the same way a person would see the dashboard.
/// </summary>
internal sealed class TmuxSession : IDisposable
{
    private readonly string server = "aftest-" + Guid.NewGuid().ToString("N")[..8];

    private TmuxSession()
    {
    }

    /// <summary>Starts <paramref name="shellCommand"/> in a new session of the given size.</summary>
    public static TmuxSession Start(string shellCommand, string workingDirectory, IReadOnlyDictionary<string, string> environment, int width = 100, int height = 30)
    {
        var session = new TmuxSession();
        var args = new List<string> { "new-session", "-d", "-s", "main", "-x", width.ToString(System.Globalization.CultureInfo.InvariantCulture), "-y", height.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", workingDirectory };
        foreach ((string key, string value) in environment)
        {
            args.Add("-e");
            args.Add($"{key}={value}");
        }

        args.Add("-e");
        args.Add("TERM=xterm-256color");
        args.Add(shellCommand);
        session.Tmux(args.ToArray());
        return session;
    }

    public string Capture() => Tmux("capture-pane", "-p", "-t", "main");

    /// <summary>The pane's title, which an escape sequence (OSC 0/2) written to the terminal would change.</summary>
    public string PaneTitle() => Tmux("display-message", "-p", "-t", "main", "#{pane_title}").Trim();

    public void SendKeys(params string[] keys) => Tmux(["send-keys", "-t", "main", .. keys]);

    /// <summary>Waits until the screen contains <paramref name="text"/> and returns the screen.</summary>
    public async Task<string> WaitForAsync(string text, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            string screen = Capture();
            if (screen.Contains(text, StringComparison.Ordinal))
            {
                return screen;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"timed out waiting for '{text}' on the terminal; last screen:\n{screen}");
            }

            await Task.Delay(50);
        }
    }

    public void Dispose() => Tmux("kill-server");

    private string Tmux(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-L");
        start.ArgumentList.Add(server);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
