using Aetherflow.Engine.Api;

namespace Aetherflow.Engine.Hosting;

/// <summary>
/// Holds the current <see cref="EngineSnapshot"/>. Every change goes through <see cref="Update"/>, which swaps in a new
/// immutable snapshot with the next revision and then notifies listeners outside the lock. Listeners treat the
/// notification as "something changed" and read <see cref="Current"/>, so a late notification can never show old state.
/// </summary>
internal sealed class EngineStateStore
{
    private const int DecisionsKept = 200;
    private readonly Lock gate = new();
    private EngineSnapshot current;

    public EngineStateStore(EngineSnapshot initial)
    {
        current = initial;
    }

    public event EventHandler<EngineSnapshot>? Changed;

    public EngineSnapshot Current => Volatile.Read(ref current);

    /// <summary>Applies <paramref name="change"/>; returning the same instance means "no change" and notifies nobody.</summary>
    public EngineSnapshot Update(Func<EngineSnapshot, EngineSnapshot> change)
    {
        EngineSnapshot next;
        lock (gate)
        {
            EngineSnapshot previous = current;
            next = change(previous);
            if (ReferenceEquals(next, previous))
            {
                return previous;
            }

            next = next with { Revision = previous.Revision + 1 };
            Volatile.Write(ref current, next);
        }

        Changed?.Invoke(this, next);
        return next;
    }

    /// <summary>Appends a decision to the bounded decision log.</summary>
    public void Record(EngineDecision decision) => Update(s => s with
    {
        Decisions = s.Decisions.Count < DecisionsKept ? [.. s.Decisions, decision] : [.. s.Decisions.Skip(s.Decisions.Count - DecisionsKept + 1), decision],
    });
}
