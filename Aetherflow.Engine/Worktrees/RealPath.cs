using System.Runtime.InteropServices;

namespace Aetherflow.Engine.Worktrees;

/// <summary>
/// Canonical paths (symlinks resolved), because git records worktree paths that way: a project opened through a
/// symlink (<c>/tmp</c> on macOS, a linked home folder) must still recognise its own worktrees.
/// </summary>
internal static partial class RealPath
{
    /// <summary>
    /// The canonical form of <paramref name="path"/>: its longest existing prefix resolved by <c>realpath(3)</c>, with
    /// the rest appended as given.
    /// </summary>
    public static string Resolve(string path)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        string existing = full;
        string rest = string.Empty;
        while (!Path.Exists(existing))
        {
            string? parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                return full;
            }

            rest = rest.Length == 0 ? Path.GetFileName(existing) : Path.Combine(Path.GetFileName(existing), rest);
            existing = parent;
        }

        string resolved = Canonical(existing) ?? existing;
        return rest.Length == 0 ? resolved : Path.Combine(resolved, rest);
    }

    /// <summary>True when both paths name the same place once canonical.</summary>
    public static bool Same(string first, string second) =>
        string.Equals(Resolve(first), Resolve(second), StringComparison.Ordinal);

    private static string? Canonical(string path)
    {
        nint buffer = NativeRealPath(path, 0);
        if (buffer == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(buffer);
        }
        finally
        {
            Free(buffer);
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial nint NativeRealPath(string path, nint resolved);

    [LibraryImport("libc", EntryPoint = "free")]
    private static partial void Free(nint pointer);
}
