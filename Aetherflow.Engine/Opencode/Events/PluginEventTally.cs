namespace Aetherflow.Engine.Opencode.Events;

/// <summary>
/// What one feed has counted since it last reported to its <see cref="PluginEventReceiver"/>: plain fields, counted on
/// the feed's own thread and added to the receiver's totals once per batch, so two threads handling one connection's
/// burst do not fight over the same counters for every event.
/// </summary>
internal sealed class PluginEventTally
{
    public long Received;
    public long Added;
    public long Duplicates;
    public long Untracked;
    public long Ignored;
    public long Invalid;
    public long OnLanes;

    public void Count(OpencodeIngestResult result)
    {
        switch (result)
        {
            case OpencodeIngestResult.Added:
                Added++;
                break;
            case OpencodeIngestResult.Duplicate:
                Duplicates++;
                break;
            case OpencodeIngestResult.Untracked:
                Untracked++;
                break;
            default:
                Ignored++;
                break;
        }
    }

    public void Clear() => Received = Added = Duplicates = Untracked = Ignored = Invalid = OnLanes = 0;
}
