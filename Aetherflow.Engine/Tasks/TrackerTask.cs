namespace Aetherflow.Engine.Tasks;

/// <summary>A task as listed by a tracker (ready list or list by status).</summary>
/// <param name="Id">The validated task id, e.g. <c>ts-a1b2c3</c>.</param>
/// <param name="Title">The title as the tracker stores it (untrusted text).</param>
/// <param name="Priority">Lower numbers first.</param>
/// <param name="State">The status, when the listing carries it.</param>
public sealed record TrackerTask(string Id, string Title, int Priority, TrackerTaskState? State = null);
