using System.CommandLine;
using Aetherflow.Engine.Tasks.Builtin;
using ActionFactory = System.Func<System.Func<Aetherflow.Tui.Commands.TaskInvocation, System.Threading.CancellationToken, System.Threading.Tasks.Task<int>>, System.CommandLine.Invocation.CommandLineAction>;

namespace Aetherflow.Tui.Commands;

/// <summary>The knowledge base: <c>learn</c> records what the next agent should know, <c>context</c> reads it back.</summary>
internal static partial class TaskCommand
{
    private static Command Learn(ActionFactory action)
    {
        var summary = new Argument<string[]>("summary") { Arity = ArgumentArity.OneOrMore, Description = "One line: what was learned" };
        var concepts = new Option<string[]>("--concept") { Description = "A topic it belongs to, e.g. git-worktrees (repeatable; at least one)", HelpName = "name" };
        var detail = new Option<string>("--detail") { Description = "The longer explanation", HelpName = "text" };
        var task = new Option<string>("--task") { Description = "The task it came from", HelpName = "id" };
        var command = new Command("learn", "Record a learning for the next agent and print its id") { summary, concepts, detail, task };
        command.Action = action(async (run, ct) =>
        {
            string id = await run.Store.LearnAsync(
                new NewLearning
                {
                    Summary = run.Text(summary),
                    Concepts = run.Result.GetValue(concepts) ?? [],
                    Detail = run.Result.GetValue(detail),
                    TaskId = run.Result.GetValue(task),
                },
                ct).ConfigureAwait(false);
            run.Out.WriteLine(id);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Context(ActionFactory action)
    {
        var concept = new Argument<string?>("concept") { Arity = ArgumentArity.ZeroOrOne, Description = "Only learnings about this concept" };
        Option<bool> json = JsonOption();
        var command = new Command("context", "List learnings, newest first") { concept, json };
        command.Action = action(async (run, ct) =>
        {
            IReadOnlyList<Learning> learnings = await run.Store.ListLearningsAsync(run.Result.GetValue(concept), ct).ConfigureAwait(false);
            if (run.Result.GetValue(json))
            {
                run.Json(learnings.Select(TaskJson.From).ToList(), CliJson.Indented.ListLearningEntry);
            }
            else
            {
                TaskText.WriteLearnings(run.Out, learnings);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
