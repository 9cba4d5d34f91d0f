using Aetherflow.Engine.Tasks;

namespace Aetherflow.Engine.Pool;

/// <summary>Renders the prompts agents start with.</summary>
public interface IAgentPrompts
{
    /// <summary>The prompt for a tracker task in <paramref name="role"/> (<c>worker</c> or <c>planner</c>).</summary>
    string ForTask(TrackerTaskDetail task, string role);

    /// <summary>
    /// The prompt for a one-off agent started from a person's prompt; <paramref name="solo"/> picks its landing steps
    /// (merge into the base branch itself, or leave the branch for review).
    /// </summary>
    string ForSpawn(string spawnId, string userPrompt, bool solo);
}
