namespace Aetherflow.Engine.Tasks;

/// <summary>
/// The engine's view of a task tracker, so trackers are swappable: the built-in store and prog implement it. Every
/// method validates the ids it is given and returns (or throws) plain data; every call has its own timeout.
/// Errors are <see cref="TaskSourceException"/> with a one-line message, <see cref="TaskNotFoundException"/> for an
/// unknown id.
/// </summary>
public interface ITaskSource
{
    /// <summary><c>builtin</c> or <c>prog</c>.</summary>
    string Name { get; }

    /// <summary>
    /// A file whose change means "the tracker changed" (prog's database), for an immediate poll; null when there is
    /// none to watch.
    /// </summary>
    string? ChangeSignalPath { get; }

    /// <summary>Open tasks whose dependencies are all done or canceled, in scheduling order (priority, then age).</summary>
    Task<IReadOnlyList<TrackerTask>> ListReadyAsync(CancellationToken cancellationToken);

    /// <summary>Tasks (not epics) in <paramref name="state"/>.</summary>
    Task<IReadOnlyList<TrackerTask>> ListAsync(TrackerTaskState state, CancellationToken cancellationToken);

    /// <summary>One task with its description, definition of done, dependencies and log.</summary>
    Task<TrackerTaskDetail> GetAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Marks the task in progress (the claim before an agent is launched).</summary>
    Task ClaimAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Puts a task back to open (undoing a claim whose launch failed, or after retries ran out).</summary>
    Task ReopenAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Marks the task done (the reconciler, once its branch landed).</summary>
    Task MarkDoneAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>Appends a line to the task's log.</summary>
    Task AppendLogAsync(string taskId, string message, CancellationToken cancellationToken);
}
