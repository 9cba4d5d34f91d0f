namespace Aetherflow.Engine.Prompts;

/// <summary>
/// A prompt template could not be loaded or rendered: a malformed placeholder, a variable without a value, or a bad
/// <c>prompt_dir</c>. The message is one line that names the template (or folder) and says what to do.
/// </summary>
public sealed class PromptException : Exception
{
    public PromptException(string message)
        : base(message)
    {
    }

    public PromptException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PromptException()
    {
    }
}
