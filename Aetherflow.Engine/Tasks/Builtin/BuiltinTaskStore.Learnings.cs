using Aetherflow.Engine.Text;

namespace Aetherflow.Engine.Tasks.Builtin;

/// <summary>The knowledge base: learnings tagged with concepts, for the next agent.</summary>
public sealed partial class BuiltinTaskStore
{
    /// <summary>Records a learning and returns its id (<c>lrn-</c> + 6 hex digits).</summary>
    /// <exception cref="InvalidTaskInputException">No summary, no concept, or a malformed concept or task id.</exception>
    /// <exception cref="TaskNotFoundException"><see cref="NewLearning.TaskId"/> does not exist.</exception>
    public Task<string> LearnAsync(NewLearning learning, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(learning);
        if (string.IsNullOrWhiteSpace(learning.Summary))
        {
            throw new InvalidTaskInputException("a learning needs a summary");
        }

        string[] concepts = [.. (learning.Concepts ?? []).Select(NormalizeConcept).Distinct(StringComparer.Ordinal)];
        if (concepts.Length == 0)
        {
            throw new InvalidTaskInputException("a learning needs at least one concept (--concept <name>)");
        }

        if (learning.TaskId is not null)
        {
            RequireTaskId(learning.TaskId);
        }

        return WriteAsync(
            session =>
            {
                if (learning.TaskId is not null)
                {
                    _ = StatusOf(session, learning.TaskId) ?? throw new TaskNotFoundException(learning.TaskId);
                }

                string id = NewId(session, "lrn-", "learnings");
                session.Execute(
                    "INSERT INTO learnings (id, summary, detail, task_id, created_at) VALUES ($id, $summary, $detail, $task, $now)",
                    ("$id", id),
                    ("$summary", learning.Summary),
                    ("$detail", string.IsNullOrEmpty(learning.Detail) ? null : learning.Detail),
                    ("$task", learning.TaskId),
                    ("$now", Now()));
                foreach (string concept in concepts)
                {
                    session.Execute("INSERT INTO learning_concepts (learning_id, concept) VALUES ($id, $concept)", ("$id", id), ("$concept", concept));
                }

                return id;
            },
            cancellationToken);
    }

    /// <summary>Learnings, newest first; only those tagged <paramref name="concept"/> when it is given.</summary>
    public Task<IReadOnlyList<Learning>> ListLearningsAsync(string? concept, CancellationToken cancellationToken)
    {
        string? normalized = concept is null ? null : NormalizeConcept(concept);
        return ReadAsync<IReadOnlyList<Learning>>(
            session =>
            {
                string filter = normalized is null ? string.Empty : "WHERE id IN (SELECT learning_id FROM learning_concepts WHERE concept = $concept)";
                (string, object?)[] parameters = normalized is null ? [] : [("$concept", normalized)];
                var rows = session.Query(
                    $"SELECT id, summary, detail, task_id, created_at FROM learnings {filter} ORDER BY created_at DESC, rowid DESC",
                    row => new Learning(
                        row.GetString(0),
                        row.GetString(1),
                        row.IsDBNull(2) ? null : row.GetString(2),
                        [],
                        row.IsDBNull(3) ? null : row.GetString(3),
                        StoreSession.ParseTime(row.GetString(4))),
                    parameters);
                ILookup<string, string> concepts = session.Query(
                    $"SELECT learning_id, concept FROM learning_concepts WHERE learning_id IN (SELECT id FROM learnings {filter}) ORDER BY concept",
                    row => (Learning: row.GetString(0), Concept: row.GetString(1)),
                    parameters).ToLookup(r => r.Learning, r => r.Concept, StringComparer.Ordinal);
                return rows.Select(r => r with { Concepts = [.. concepts[r.Id]] }).ToList();
            },
            cancellationToken);
    }

    /// <summary>Concepts are one lower-case word each (letters, digits, '.', '_', '-'), so <c>context api</c> is exact.</summary>
    private static string NormalizeConcept(string concept)
    {
        string normalized = concept?.Trim().ToLowerInvariant() ?? string.Empty;
        return Identifiers.IsProjectName(normalized)
            ? normalized
            : throw new InvalidTaskInputException($"concept '{TerminalText.SanitizeLine(concept)}' is not valid; use letters, digits, '.', '_' and '-' (e.g. git-worktrees)");
    }
}
