namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>A dependency that would close a cycle (the tasks on it could never become ready), so it was refused.</summary>
public sealed class TaskDependencyCycleException : TaskSourceException
{
    public TaskDependencyCycleException(string taskId, string dependsOn, IReadOnlyList<string> existingPath)
        : base($"{taskId} cannot wait for {dependsOn}: {dependsOn} already waits for {taskId} ({string.Join(" -> ", existingPath)}), so that would be a cycle")
    {
        Path = existingPath;
    }

    public TaskDependencyCycleException()
    {
        Path = [];
    }

    public TaskDependencyCycleException(string message)
        : base(message)
    {
        Path = [];
    }

    public TaskDependencyCycleException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = [];
    }

    /// <summary>The existing chain of dependencies from the would-be dependency back to the task, both ends included.</summary>
    public IReadOnlyList<string> Path { get; }
}
