namespace Aetherflow.Engine.Demo;

/// <summary>
/// One file change a demo agent makes: a new file (<see cref="OldText"/> null, made with opencode's <c>write</c> tool)
/// or the replacement of one exact passage of an existing file (made with its <c>edit</c> tool).
/// </summary>
/// <param name="Path">The file, relative to the project root.</param>
/// <param name="OldText">The passage to replace, which occurs exactly once in the file; null for a new file.</param>
/// <param name="NewText">The new file's content, or the passage's replacement.</param>
public sealed record DemoChange(string Path, string? OldText, string NewText)
{
    /// <summary>True when the change creates a file.</summary>
    public bool IsNewFile => OldText is null;

    /// <summary>A new file.</summary>
    public static DemoChange Create(string path, string content) => new(path, null, content);

    /// <summary>A replacement of <paramref name="oldText"/> in an existing file.</summary>
    public static DemoChange Edit(string path, string oldText, string newText) => new(path, oldText, newText);
}
