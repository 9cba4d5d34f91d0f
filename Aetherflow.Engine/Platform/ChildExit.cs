namespace Aetherflow.Engine.Platform;

/// <summary>How a child process ended.</summary>
/// <param name="ExitCode">
/// The exit code, with a death by signal <c>n</c> reported as <c>128+n</c> the way shells do; null only when the exit
/// status was lost because something else reaped the process.
/// </param>
/// <param name="Signal">The signal that killed the process, or null when it exited by itself.</param>
public sealed record ChildExit(int? ExitCode, int? Signal)
{
    /// <summary>True for exit code 0.</summary>
    public bool Succeeded => ExitCode == 0;

    /// <summary>One line for logs, e.g. <c>exited with code 3</c> or <c>killed by signal 9 (SIGKILL)</c>.</summary>
    public string Description => this switch
    {
        { Signal: int signal } => $"killed by signal {signal}{NameOf(signal)}",
        { ExitCode: int code } => $"exited with code {code}",
        _ => "exit status unknown (the process was reaped by someone else)",
    };

    /// <summary>Decodes a <c>waitpid</c> status word (the <c>WIFEXITED</c>/<c>WTERMSIG</c> layout of Linux and macOS).</summary>
    internal static ChildExit FromWaitStatus(int status)
    {
        int signal = status & 0x7f;
        return signal == 0 ? new ChildExit((status >> 8) & 0xff, null) : new ChildExit(128 + signal, signal);
    }

    // Only the signals whose numbers agree on Linux and macOS.
    private static string NameOf(int signal) => signal switch
    {
        1 => " (SIGHUP)",
        2 => " (SIGINT)",
        3 => " (SIGQUIT)",
        4 => " (SIGILL)",
        6 => " (SIGABRT)",
        8 => " (SIGFPE)",
        9 => " (SIGKILL)",
        11 => " (SIGSEGV)",
        13 => " (SIGPIPE)",
        14 => " (SIGALRM)",
        15 => " (SIGTERM)",
        _ => string.Empty,
    };
}
