using System.Globalization;
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

    /// <summary>Reads <paramref name="paths"/> in order (oldest file first), handing each event to <paramref name="onEvent"/>.</summary>
    public JournalLoadResult Load(IEnumerable<string> paths, Action<SessionEvent> onEvent)
    {
        var state = new LoadState(onEvent);
        foreach (string path in paths)
        {
            LoadFile(path, state);
        }

        return new JournalLoadResult(state.Count, state.First, state.Last, state.Skipped, state.Warnings);
    }

    private SessionEvent? ParseLine(ReadOnlyMemory<byte> line)
    {
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

            return new SessionEvent(sessionId, sequence, type.GetString()!, receivedAt, JsonMarshal.GetRawUtf8Value(payload).ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void LoadFile(string path, LoadState state)
    {
        if (!File.Exists(path))
        {
            return;
        }

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

                SessionEvent? item = oversized ? null : ParseLine(line);
                if (item is null || item.Sequence <= state.Last)
                {
                    skippedHere++;
                    firstSkipped = firstSkipped == 0 ? lineNumber : firstSkipped;
                    completeBadLine |= terminated;
                    continue;
                }

                readHere++;
                state.Accept(item);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            MoveAside(path, $"it cannot be read ({ex.Message})", state);
            return;
        }

        if (readHere == 0 && completeBadLine)
        {
            state.Skipped += skippedHere;
            MoveAside(path, "no line in it is a journal entry", state);
            return;
        }

        if (skippedHere > 0)
        {
            state.Skipped += skippedHere;
            string warning = $"event journal {path}: skipped {skippedHere} unreadable line(s), the first at line {firstSkipped}";
            state.Warnings.Add(warning);
            logger.LogWarning("Event journal {Path}: skipped {Count} unreadable line(s), the first at line {Line}", path, skippedHere, firstSkipped);
        }
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

    private sealed class LoadState(Action<SessionEvent> onEvent)
    {
        public int Count { get; private set; }

        public long First { get; private set; }

        public long Last { get; private set; }

        public int Skipped { get; set; }

        public List<string> Warnings { get; } = [];

        public void Accept(SessionEvent item)
        {
            First = Count == 0 ? item.Sequence : First;
            Last = item.Sequence;
            Count++;
            onEvent(item);
        }
    }
}
