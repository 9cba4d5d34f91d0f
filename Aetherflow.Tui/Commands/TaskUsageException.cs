namespace Aetherflow.Tui.Commands;

/// <summary>A command line that <c>aetherflow task</c> cannot use (bad flag value, unknown option): exit code 2.</summary>
internal sealed class TaskUsageException : Exception
{
    public TaskUsageException(string message)
        : base(message)
    {
    }

    public TaskUsageException()
    {
    }

    public TaskUsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
