using Aetherflow.Engine.Tasks;

namespace Aetherflow.Engine.Demo;

/// <summary>Where one demo task is: its status in the store, and whether its branch is merged into <c>main</c>.</summary>
/// <param name="Task">The task.</param>
/// <param name="State">Its status in the built-in store.</param>
/// <param name="Landed">True when the task is done and <c>af/&lt;id&gt;</c> is merged into <c>main</c> (checked only
/// for done tasks).</param>
public sealed record DemoTaskStatus(DemoTask Task, TrackerTaskState State, bool Landed)
{
    /// <summary>Done, and its branch is on <c>main</c>.</summary>
    public bool Finished => State == TrackerTaskState.Done && Landed;
}
