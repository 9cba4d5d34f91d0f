namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>
/// Input the store refuses before touching anything (a malformed id, an empty title, a bad label or concept): the
/// caller's mistake, which the command line reports as a usage error.
/// </summary>
public sealed class InvalidTaskInputException : TaskSourceException
{
    public InvalidTaskInputException(string message)
        : base(message)
    {
    }

    public InvalidTaskInputException()
    {
    }

    public InvalidTaskInputException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
