namespace Aetherflow.Engine.Events;

/// <summary>Bounds and locations of a <see cref="SessionEventStore"/>.</summary>
public sealed record SessionEventStoreOptions
{
    /// <summary>
    /// The folder of the per-session journals (the engine uses <c>&lt;state&gt;/projects/&lt;project&gt;/journals</c>);
    /// null keeps events in memory only.
    /// </summary>
    public string? JournalDirectory { get; init; }

    /// <summary>Events kept in memory per session (config key <c>event_buffer_events</c>); the oldest go first.</summary>
    public int MaxEventsPerSession { get; init; } = 10_000;

    /// <summary>Bytes kept in memory per session (payloads plus a fixed per-event overhead); the oldest go first.</summary>
    public long MaxBytesPerSession { get; init; } = 16L * 1024 * 1024;

    /// <summary>
    /// How many of a session's newest events keep their payload in memory. Older events in the ring keep only where the
    /// journal has their payload and read it back when they are read, so a long history costs little memory. Payloads
    /// the journal could not write (no journal folder, a full disk) always stay in memory. Kept small on purpose: a
    /// payload held here outlives the garbage collector's youngest generation and is copied by it, which at a high event
    /// rate is most of the collector's pause; a reader that follows the head of a session finds what it reads here, one
    /// that lags reads it back from the page cache.
    /// </summary>
    public int PayloadsInMemoryPerSession { get; init; } = 64;

    /// <summary>The largest payload stored as is; a larger one is replaced by a small <c>{"oversized":…}</c> marker.</summary>
    public int MaxPayloadBytes { get; init; } = 256 * 1024;

    /// <summary>A journal file is rotated to <c>.1</c> at this size, so a session uses at most about twice this on disk.</summary>
    public long MaxJournalFileBytes { get; init; } = 32L * 1024 * 1024;

    /// <summary>A session with no appends, reads or subscribers for this long is dropped from memory (not from disk).</summary>
    public TimeSpan IdleEviction { get; init; } = TimeSpan.FromHours(48);

    /// <summary>How often idle sessions are looked for.</summary>
    public TimeSpan IdleSweepInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long a journal that failed to write waits before trying again.</summary>
    public TimeSpan JournalRetryInterval { get; init; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxEventsPerSession, 1, nameof(MaxEventsPerSession));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPayloadBytes, 64, nameof(MaxPayloadBytes));
        ArgumentOutOfRangeException.ThrowIfNegative(PayloadsInMemoryPerSession, nameof(PayloadsInMemoryPerSession));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBytesPerSession, MaxPayloadBytes, nameof(MaxBytesPerSession));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxJournalFileBytes, 1024, nameof(MaxJournalFileBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleEviction, TimeSpan.Zero, nameof(IdleEviction));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(IdleSweepInterval, TimeSpan.Zero, nameof(IdleSweepInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(JournalRetryInterval, TimeSpan.Zero, nameof(JournalRetryInterval));
    }
}
