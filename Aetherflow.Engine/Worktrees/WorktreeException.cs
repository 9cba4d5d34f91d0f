namespace Aetherflow.Engine.Worktrees;

/// <summary>A worktree cannot be set up as asked; the message is one line that says what is in the way and what to do.</summary>
public sealed class WorktreeException : Exception
{
    public WorktreeException(string message)
        : base(message)
    {
    }

    public WorktreeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WorktreeException()
    {
    }
}
