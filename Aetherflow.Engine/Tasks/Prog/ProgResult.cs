namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>What one prog process left behind.</summary>
internal sealed record ProgResult(int ExitCode, string StandardOutput, string StandardError, bool OutputTruncated);
