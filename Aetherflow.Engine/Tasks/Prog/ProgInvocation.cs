namespace Aetherflow.Engine.Tasks.Prog;

/// <summary>One prog command line: the argv (one element per argument) and how it is named in messages.</summary>
/// <param name="Arguments">The arguments after the executable, each passed as its own argv element.</param>
/// <param name="Display">The command as errors name it, without free text (e.g. <c>prog log ts-1a2b3c</c>).</param>
/// <param name="TaskId">The task the command is about, for <see cref="TaskNotFoundException"/>.</param>
/// <param name="ForeignKeyMeansNotFound">
/// True for <c>prog log</c>, which does not look the id up and reports an unknown one only through the foreign key.
/// </param>
internal sealed record ProgInvocation(
    IReadOnlyList<string> Arguments,
    string Display,
    string? TaskId = null,
    bool ForeignKeyMeansNotFound = false)
{
    /// <summary>A command whose whole argv may be shown in messages.</summary>
    public static ProgInvocation Of(params string[] arguments) => new(arguments, "prog " + string.Join(' ', arguments));

    /// <summary>A status command on one task, e.g. <c>prog start ts-1a2b3c</c>.</summary>
    public static ProgInvocation OnTask(string verb, string taskId) => new([verb, taskId], $"prog {verb} {taskId}", taskId);
}
