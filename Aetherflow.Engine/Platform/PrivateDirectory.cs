namespace Aetherflow.Engine.Platform;

/// <summary>Creates and checks folders that only the current user may enter (mode 0700).</summary>
public static class PrivateDirectory
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>
    /// Creates <paramref name="path"/> (and its parents) if needed, makes it 0700, and refuses a folder that is a
    /// symlink or belongs to another user — such a folder could let someone else read or replace our sockets.
    /// </summary>
    public static void Ensure(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null)
        {
            throw new IOException($"{path} is a symbolic link; remove it so aetherflow can create a private folder there");
        }

        if (!info.Exists)
        {
            Directory.CreateDirectory(path, OwnerOnly);
        }

        if (OperatingSystem.IsLinux() && UnixNative.OwnerOf(path) is uint owner && owner != UnixNative.GetEffectiveUserId())
        {
            throw new IOException($"{path} belongs to another user (uid {owner}); remove it or set XDG_RUNTIME_DIR to a folder of your own");
        }

        if (File.GetUnixFileMode(path) != OwnerOnly)
        {
            File.SetUnixFileMode(path, OwnerOnly);
        }
    }
}
