namespace Aetherflow.Engine.Config;

/// <summary>Finds the project root for a working directory.</summary>
public static class ProjectLocator
{
    /// <summary>
    /// Walks up from <paramref name="startDirectory"/> to the first folder that holds <c>.aetherflow.yaml</c> or a
    /// <c>.git</c> entry; returns <paramref name="startDirectory"/> itself when there is none.
    /// </summary>
    public static string FindRoot(string startDirectory)
    {
        string start = Path.GetFullPath(startDirectory);
        for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, ConfigLoader.FileName)) || Path.Exists(Path.Combine(dir.FullName, ".git")))
            {
                return dir.FullName;
            }
        }

        return start;
    }
}
