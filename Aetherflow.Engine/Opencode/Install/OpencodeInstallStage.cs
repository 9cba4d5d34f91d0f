namespace Aetherflow.Engine.Opencode.Install;

/// <summary>Where an opencode installation with npm is.</summary>
public enum OpencodeInstallStage
{
    /// <summary>npm was started.</summary>
    Started,

    /// <summary>npm is still running (reported about once a second, with the time so far).</summary>
    Running,

    /// <summary>npm finished and the executable is in place.</summary>
    Finished,
}
