namespace Aetherflow.Engine.Prompts;

/// <summary>What <see cref="AssetInstaller"/> does, or did, with one file.</summary>
public enum AssetInstallAction
{
    /// <summary>The file is missing or differs: it is (re)written.</summary>
    Write,

    /// <summary>The file is already there byte for byte (npm state: present, left alone).</summary>
    Skip,
}
