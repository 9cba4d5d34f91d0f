using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Events;

/// <summary>
/// Reads a session's journal files back: every readable line in order, skipping (and reporting) lines that are cut
/// short, corrupt or out of sequence, and moving aside a file that holds no journal entry at all.
/// </summary>
internal sealed class JournalReader(string sessionId, TimeProvider timeProvider, ILogger logger)
{
    // A journal line holds one capped payload; anything far longer is not ours.
    private const int MaxLineBytes = 16 * 1024 * 1024;

    /// <summary>
    /// Reads <paramref name="paths"/> in order (oldest file first), handing each event to <paramref name="onEvent"/> with
    /// where its payload lies in the segment <paramref name="openSegment"/> opened on the file (null when it opened none).
    /// </summary>
    public JournalLoadResult Load(IEnumerable<string> paths, Func<string, JournalSegment?> openSegment, Action<SessionEvent, JournalLocation?> onEvent)
    {
        var state = new LoadState(onEvent);
        foreach (string path in paths)
        {
            if (!File.Exists(path))
            {
                continue;
            }

            JournalSegment? segment = openSegment(path);
            if (LoadFile(path, segment, state) == 0)
            {
                segment?.Retire();
            }
        }

        return new JournalLoadResult(state.Count, state.First, state.Last, state.Skipped, state.Warnings);
    }

    private SessionEvent? ParseLine(ReadOnlyMemory<byte> line, out int payloadStart)
    {
        payloadStart = 0;
        try
        {
            using JsonDocument document = JsonDocument.Parse(line);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("seq"u8, out JsonElement seq) || seq.ValueKind != JsonValueKind.Number
                || !seq.TryGetInt64(out long sequence) || sequence < 1
                || !root.TryGetProperty("type"u8, out JsonElement type) || type.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("at"u8, out JsonElement at) || at.ValueKind != JsonValueKind.String
                || !at.TryGetDateTimeOffset(out DateTimeOffset receivedAt)
                || !root.TryGetProperty("payload"u8, out JsonElement payload))
            {
                return null;
            }

            // The document reads the line in place, so the payload's bytes are a part of the line.
            ReadOnlySpan<byte> raw = JsonMarshal.GetRawUtf8Value(payload);
            payloadStart = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(line.Span), ref MemoryMarshal.GetReference(raw));
            return new SessionEvent(sessionId, sequence, type.GetString()!, receivedAt, raw.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Returns how many events the file held.
    private int LoadFile(string path, JournalSegment? segment, LoadState state)
    {
        int lineNumber = 0;
        int skippedHere = 0;
        int firstSkipped = 0;
        int readHere = 0;
        bool completeBadLine = false;
        try
        {
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
            // Read only what was there when we looked: never chase a growing file or a device that never ends.
            using var lines = new JournalLineReader(file, file.Length, MaxLineBytes);
            while (lines.TryReadLine(out ReadOnlyMemory<byte> line, out bool terminated, out bool oversized))
            {
                lineNumber++;
                if (!oversized && line.Length == 0 && terminated)
                {
                    continue;
                }

                int payloadStart = 0;
                SessionEvent? item = oversized ? null : ParseLine(line, out payloadStart);
                if (item is null || item.Sequence <= state.Last)
                {
                    skippedHere++;
                    firstSkipped = firstSkipped == 0 ? lineNumber : firstSkipped;
                    completeBadLine |= terminated;
                    continue;
                }

                readHere++;
                state.Accept(item, segment is null ? null : new JournalLocation(segment, lines.LineOffset + payloadStart, item.Payload.Length));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MoveAside(path, $"it cannot be read ({ex.Message})", state);
            return readHere;
        }

        if (readHere == 0 && completeBadLine)
        {
            state.Skipped += skippedHere;
            MoveAside(path, "no line in it is a journal entry", state);
            return 0;
        }

        if (skippedHere > 0)
        {
            state.Skipped += skippedHere;
            string warning = $"event journal {path}: skipped {skippedHere} unreadable line(s), the first at line {firstSkipped}";
            state.Warnings.Add(warning);
            logger.LogWarning("Event journal {Path}: skipped {Count} unreadable line(s), the first at line {Line}", path, skippedHere, firstSkipped);
        }

        return readHere;
    }

    private void MoveAside(string path, string reason, LoadState state)
    {
        string aside = path + ".corrupt-" + timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        try
        {
            File.Move(path, aside, overwrite: false);
            state.Warnings.Add($"event journal {path} was moved aside to {aside}: {reason}");
            logger.LogWarning("Event journal {Path} was moved aside to {Aside}: {Reason}", path, aside, reason);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            state.Warnings.Add($"event journal {path} is unusable ({reason}) and could not be moved aside: {ex.Message}");
            logger.LogWarning(ex, "Event journal {Path} is unusable ({Reason}) and could not be moved aside", path, reason);
        }
    }

    private sealed class LoadState(Action<SessionEvent, JournalLocation?> onEvent)
    {
        public int Count { get; private set; }

        public long First { get; private set; }

        public long Last { get; private set; }

        public int Skipped { get; set; }

        public List<string> Warnings { get; } = [];

        public void Accept(SessionEvent item, JournalLocation? location)
        {
            First = Count == 0 ? item.Sequence : First;
            Last = item.Sequence;
            Count++;
            onEvent(item, location);
        }
    }
}
