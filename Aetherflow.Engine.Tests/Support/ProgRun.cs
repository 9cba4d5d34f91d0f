namespace Aetherflow.Engine.Tests.Support;

/// <summary>One run of the prog stand-in.</summary>
public sealed record ProgRun(int ExitCode, string StandardOutput, string StandardError)
{
    public string[] ErrorLines => StandardError.Split('\n');
}
