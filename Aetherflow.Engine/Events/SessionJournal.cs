using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;
using Aetherflow.Engine.Text;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Events;

/// <summary>
/// The append-only history of one session on disk: <c>&lt;folder&gt;/&lt;session&gt;.ndjson</c>, one JSON object per
/// line — <c>{"seq":12,"type":"message.updated","at":"2026-11-22T10:00:00.123+00:00","payload":{…}}</c>.
/// </summary>
/// <remarks>
/// <para>
/// Each batch is written with one unbuffered <c>write</c> call before the events are published, so a <c>kill -9</c>
/// loses at most the line being written (the data is in the kernel's page cache; there is no fsync, so a power cut can
/// lose the last moments). When the file would grow past <c>maxFileBytes</c> it is renamed to <c>.1</c> (replacing
/// the previous one) and a new file is started: at most about twice the limit per session stays on disk.
/// </para>
/// <para>
/// A failing write (full disk, read-only folder) never throws: the journal becomes degraded, says why in
/// <see cref="Status"/>, and tries again after the retry interval. It never rewrites or truncates what is on disk; a
/// line cut short by a failed write is closed with a newline before the next one and skipped when loading.
/// </para>
/// </remarks>
public sealed class SessionJournal : IDisposable
{
    /// <summary>The file name extension of journals.</summary>
    public const string Extension = ".ndjson";

    // The most a line adds to its type and payload: the field names, the sequence number and the time.
    private const int LineOverhead = 128;
    private const int MaxEncodedTypes = 64;
    private static readonly StandardFormat RoundTrip = new('O');

    private readonly long maxFileBytes;
    private readonly TimeSpan retryInterval;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly Func<string, Stream> openForAppend;
    private readonly Lock fileGate = new();
    private readonly ArrayBufferWriter<byte> buffer = new(4096);
    private readonly Dictionary<string, byte[]> encodedTypes = new(StringComparer.Ordinal);
    private readonly List<JournalSegment> segments = [];
    private Stream? stream;
    private JournalSegment? writeSegment;
    private long fileBytes;
    private bool needsNewline;
    private DateTimeOffset nextRetryAt;
    private volatile string? status;
    private long unwrittenEvents;
    private bool disposed;

    /// <summary>Creates the journal of <paramref name="sessionId"/> in <paramref name="directory"/>; nothing is touched until used.</summary>
    /// <param name="directory">The journal folder (created 0700 on the first write).</param>
    /// <param name="sessionId">The session; must satisfy <see cref="Identifiers.IsSessionId"/>.</param>
    /// <param name="maxFileBytes">Size at which the file is rotated to <c>.1</c>.</param>
    /// <param name="retryInterval">How long a degraded journal waits before trying to write again.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where warnings go.</param>
    public SessionJournal(string directory, string sessionId, long maxFileBytes, TimeSpan retryInterval, TimeProvider timeProvider, ILogger logger)
        : this(directory, sessionId, maxFileBytes, retryInterval, timeProvider, logger, openForAppend: null)
    {
    }

    internal SessionJournal(
        string directory,
        string sessionId,
        long maxFileBytes,
        TimeSpan retryInterval,
        TimeProvider timeProvider,
        ILogger logger,
        Func<string, Stream>? openForAppend)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        if (!Identifiers.IsSessionId(sessionId))
        {
            throw new ArgumentException($"'{sessionId}' is not a valid session id", nameof(sessionId));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(maxFileBytes, 1024);
        Directory = directory;
        SessionId = sessionId;
        FilePath = System.IO.Path.Combine(directory, sessionId + Extension);
        this.maxFileBytes = maxFileBytes;
        this.retryInterval = retryInterval;
        this.timeProvider = timeProvider;
        this.logger = logger;
        this.openForAppend = openForAppend ?? OpenFile;
    }

    /// <summary>The journal folder.</summary>
    public string Directory { get; }

    /// <summary>The session whose history this is.</summary>
    public string SessionId { get; }

    /// <summary>The current file; the previous one is <c>FilePath + ".1"</c>.</summary>
    public string FilePath { get; }

    /// <summary>True while writes fail; the events are then kept in memory only.</summary>
    public bool IsDegraded => status is not null;

    /// <summary>Why the journal is degraded (one line naming the file), or null when it is healthy.</summary>
    public string? Status => status;

    /// <summary>Events that were published without being written because the journal was degraded.</summary>
    public long UnwrittenEvents => Interlocked.Read(ref unwrittenEvents);

    /// <summary>
    /// Reads the previous file and then the current one, handing every readable event to <paramref name="onEvent"/> in
    /// sequence order. Corrupt or truncated lines and lines whose sequence does not increase are skipped with a warning;
    /// a file that cannot be read at all is moved aside as <c>*.corrupt-&lt;time&gt;</c>.
    /// </summary>
    public JournalLoadResult Load(Action<SessionEvent> onEvent) => Load((item, _) => onEvent(item));

    /// <summary>Like <see cref="Load(Action{SessionEvent})"/>, also telling where each payload lies in the files, so it can be read back later.</summary>
    internal JournalLoadResult Load(Action<SessionEvent, JournalLocation?> onEvent)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        return new JournalReader(SessionId, timeProvider, logger).Load([FilePath + ".1", FilePath], OpenForLoad, onEvent);
    }

    /// <summary>
    /// Writes <paramref name="events"/> (in order) as one write. Returns false, without throwing, when the journal is
    /// degraded, the write failed or the journal was disposed; the caller keeps the events in memory either way.
    /// </summary>
    public bool Append(IReadOnlyList<SessionEvent> events) => AppendCore(events) is not null;

    /// <summary>
    /// Like <see cref="Append(IReadOnlyList{SessionEvent})"/>, returning where each payload was written (in the order of
    /// <paramref name="events"/>), or null when nothing was written.
    /// </summary>
    internal JournalLocation[]? AppendCore(IReadOnlyList<SessionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return [];
        }

        lock (fileGate)
        {
            if (disposed)
            {
                // Only a store that is shutting down gets here; its events stay in memory until it is gone.
                unwrittenEvents += events.Count;
                return null;
            }

            if (status is not null && timeProvider.GetUtcNow() < nextRetryAt)
            {
                unwrittenEvents += events.Count;
                return null;
            }

            try
            {
                Stream file = stream ??= Open();
                buffer.ResetWrittenCount();
                var payloadStarts = new int[events.Count];
                for (int i = 0; i < events.Count; i++)
                {
                    payloadStarts[i] = WriteLine(events[i]);
                }

                if (fileBytes > 0 && fileBytes + buffer.WrittenCount > maxFileBytes)
                {
                    file = Rotate();
                }

                if (needsNewline)
                {
                    // A failed write may have left part of a line: end it so the next line stays readable.
                    file.Write("\n"u8);
                    fileBytes++;
                    needsNewline = false;
                }

                long start = fileBytes;
                file.Write(buffer.WrittenSpan);
                fileBytes += buffer.WrittenCount;
                if (status is not null)
                {
                    logger.LogWarning("Event journal {Path} is being written again", FilePath);
                    status = null;
                }

                return Locations(events, payloadStarts, start);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                MarkDegraded(ex);
                unwrittenEvents += events.Count;
                return null;
            }
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (fileGate)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            CloseQuietly();
            foreach (JournalSegment segment in segments)
            {
                segment.Close();
            }

            segments.Clear();
        }
    }

    private static FileStream OpenFile(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Append,
        Access = FileAccess.Write,
        Share = FileShare.Read | FileShare.Delete,
        BufferSize = 0,
        UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
    });

    // Writes one line and returns where its payload starts in the buffer.
    private int WriteLine(SessionEvent item)
    {
        ReadOnlySpan<byte> type = EncodedType(item.Type);
        ReadOnlySpan<byte> payload = item.Payload.Span;
        Span<byte> line = buffer.GetSpan(LineOverhead + type.Length + payload.Length);
        int length = Append(line, "{\"seq\":"u8);
        length += Utf8Formatter.TryFormat(item.Sequence, line[length..], out int written) ? written : throw new InvalidOperationException("journal line buffer too small");
        length += Append(line[length..], ",\"type\":\""u8);
        length += Append(line[length..], type);
        length += Append(line[length..], "\",\"at\":\""u8);
        length += Utf8Formatter.TryFormat(item.ReceivedAt, line[length..], out written, RoundTrip) ? written : throw new InvalidOperationException("journal line buffer too small");
        length += Append(line[length..], "\",\"payload\":"u8);

        // The store validated the payload and made sure it is one line when it was appended.
        int payloadStart = buffer.WrittenCount + length;
        length += Append(line[length..], payload);
        length += Append(line[length..], "}\n"u8);
        buffer.Advance(length);
        return payloadStart;
    }

    // The type as a JSON string's content; the few types there are are encoded once.
    private byte[] EncodedType(string type)
    {
        if (!encodedTypes.TryGetValue(type, out byte[]? encoded))
        {
            encoded = JsonEncodedText.Encode(type).EncodedUtf8Bytes.ToArray();
            if (encodedTypes.Count < MaxEncodedTypes)
            {
                encodedTypes[type] = encoded;
            }
        }

        return encoded;
    }

    private static int Append(Span<byte> destination, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(destination);
        return bytes.Length;
    }

    private JournalLocation[]? Locations(IReadOnlyList<SessionEvent> events, int[] payloadStarts, long start)
    {
        if (writeSegment is not { } segment)
        {
            return null;
        }

        var locations = new JournalLocation[events.Count];
        for (int i = 0; i < events.Count; i++)
        {
            locations[i] = new JournalLocation(segment, start + payloadStarts[i], events[i].Payload.Length);
        }

        return locations;
    }

    private Stream Open()
    {
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        needsNewline = !EndsWithNewline(FilePath);
        Stream opened = openForAppend(FilePath);
        fileBytes = opened.CanSeek ? opened.Length : 0;
        writeSegment = OpenSegment(FilePath, writing: true);
        return opened;
    }

    // A read handle on the file just opened for writing, so payloads can be read back from it; without one (the file
    // cannot be opened for reading) the ring keeps the payloads in memory.
    private JournalSegment? OpenSegment(string path, bool writing)
    {
        segments.RemoveAll(static segment => segment.IsClosed);
        try
        {
            JournalSegment segment = JournalSegment.Open(path, writing);
            segments.Add(segment);
            return segment;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Event journal {Path} cannot be opened for reading ({Error}); its events' payloads stay in memory", path, ex.Message);
            return null;
        }
    }

    private JournalSegment? OpenForLoad(string path)
    {
        lock (fileGate)
        {
            return disposed ? null : OpenSegment(path, writing: false);
        }
    }

    private Stream Rotate()
    {
        CloseQuietly();
        File.Move(FilePath, FilePath + ".1", overwrite: true);
        logger.LogDebug("Rotated event journal {Path}", FilePath);
        return stream = Open();
    }

    private static bool EndsWithNewline(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            long length = RandomAccess.GetLength(handle);
            if (length == 0)
            {
                return true;
            }

            Span<byte> last = stackalloc byte[1];
            return RandomAccess.Read(handle, last, length - 1) == 1 && last[0] == (byte)'\n';
        }
        catch (FileNotFoundException)
        {
            return true;
        }
    }

    private void MarkDegraded(Exception ex)
    {
        CloseQuietly();

        // The failed write may have left part of a line; close it before writing anything else.
        needsNewline = true;
        nextRetryAt = timeProvider.GetUtcNow() + retryInterval;
        if (status is null)
        {
            status = $"event journal {FilePath} cannot be written ({ex.Message}); events are kept in memory only — free disk space or fix the folder's permissions";
            logger.LogWarning(ex, "Event journal {Path} cannot be written; keeping events in memory and retrying every {Interval}", FilePath, retryInterval);
        }
    }

    private void CloseQuietly()
    {
        if (stream is null)
        {
            return;
        }

        try
        {
            stream.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogDebug(ex, "Closing event journal {Path} failed", FilePath);
        }

        stream = null;
        writeSegment?.Seal();
        writeSegment = null;
    }
}
