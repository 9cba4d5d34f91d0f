namespace Aetherflow.Engine.Opencode.Install;

/// <summary>One progress report of an opencode installation, for a progress line.</summary>
/// <param name="Stage">What happened.</param>
/// <param name="Package">The npm package and version being installed, e.g. <c>opencode-ai@1.18.33</c>.</param>
/// <param name="Directory">The folder it is installed into.</param>
/// <param name="Elapsed">How long the installation has taken so far.</param>
public sealed record OpencodeInstallProgress(OpencodeInstallStage Stage, string Package, string Directory, TimeSpan Elapsed);
