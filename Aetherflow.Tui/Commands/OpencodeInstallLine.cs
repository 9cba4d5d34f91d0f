using System.Globalization;
using Aetherflow.Engine.Opencode.Install;

namespace Aetherflow.Tui.Commands;

/// <summary>
/// Shows an opencode installation as one progress line on stderr: rewritten in place with the seconds so far on a
/// terminal, a line at the start, every 15 seconds and at the end otherwise (logs, CI).
/// </summary>
internal sealed class OpencodeInstallLine : IProgress<OpencodeInstallProgress>
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(15);

    private readonly TextWriter writer;
    private readonly bool terminal;
    private readonly string? home;
    private TimeSpan lastPlainLine;

    public OpencodeInstallLine(TextWriter writer, bool terminal, string? home)
    {
        this.writer = writer;
        this.terminal = terminal;
        this.home = home;
    }

    public void Report(OpencodeInstallProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string text = $"aetherflow: opencode is not installed; installing {value.Package} with npm into {Shorten(value.Directory)} (once, about 190 MB)";
        string seconds = value.Elapsed.TotalSeconds.ToString("0", CultureInfo.InvariantCulture) + "s";
        switch (value.Stage)
        {
            case OpencodeInstallStage.Started when terminal:
                writer.Write(text + " …");
                break;
            case OpencodeInstallStage.Started:
                writer.WriteLine(text);
                break;
            case OpencodeInstallStage.Running when terminal:
                writer.Write($"\r{text} … {seconds}");
                break;
            case OpencodeInstallStage.Running when value.Elapsed - lastPlainLine >= PlainInterval:
                lastPlainLine = value.Elapsed;
                writer.WriteLine($"aetherflow: still installing {value.Package} ({seconds})");
                break;
            case OpencodeInstallStage.Finished when terminal:
                writer.WriteLine($"\r{text} … done in {seconds}");
                break;
            case OpencodeInstallStage.Finished:
                writer.WriteLine($"aetherflow: installed {value.Package} in {seconds}");
                break;
            default:
                break;
        }

        writer.Flush();
    }

    private string Shorten(string path) =>
        home is { Length: > 1 } && path.StartsWith(home.TrimEnd('/') + "/", StringComparison.Ordinal) ? "~" + path[home.TrimEnd('/').Length..] : path;
}
