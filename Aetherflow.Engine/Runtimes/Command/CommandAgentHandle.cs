using Aetherflow.Engine.Api;
using Aetherflow.Engine.Platform;
using Microsoft.Extensions.Logging;

namespace Aetherflow.Engine.Runtimes.Command;

/// <summary>One <c>spawn_cmd</c> agent: a child process and its process group.</summary>
internal sealed class CommandAgentHandle : IAgentHandle
{
    private readonly string agentName;
    private readonly ChildProcess child;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private AgentRuntimeStatus status;

    public CommandAgentHandle(string agentName, ChildProcess child, TimeProvider timeProvider, ILogger logger)
    {
        this.agentName = agentName;
        this.child = child;
        this.timeProvider = timeProvider;
        this.logger = logger;

        // A command reports nothing but its exit, so it counts as busy for as long as it runs.
        status = new AgentRuntimeStatus { Activity = AgentActivity.Busy, Pid = child.Pid, LastEventAt = child.StartedAt };
        Completion = CompleteAsync();
    }

    public AgentRuntimeStatus Status => Volatile.Read(ref status);

    public event EventHandler<AgentRuntimeStatus>? StatusChanged;

    public Task<AgentOutcome> Completion { get; }

    public bool IsAlive() => child.IsAlive();

    public async Task StopAsync(TimeSpan grace, CancellationToken cancellationToken)
    {
        logger.LogInformation("Stopping agent {Agent} (pid {Pid}) with a grace period of {Grace}", agentName, child.Pid, grace);
        await child.StopAsync(grace, cancellationToken).ConfigureAwait(false);
        await Completion.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await child.DisposeAsync().ConfigureAwait(false);
        await Completion.ConfigureAwait(false);
    }

    private async Task<AgentOutcome> CompleteAsync()
    {
        ChildExit exit = await child.Exited.ConfigureAwait(false);
        AgentRuntimeStatus exited = Status with
        {
            Activity = AgentActivity.Exited,
            LastEventAt = timeProvider.GetUtcNow(),
            LastError = exit.Succeeded ? null : exit.Description,
        };
        Volatile.Write(ref status, exited);
        if (exit.Succeeded)
        {
            logger.LogInformation("Agent {Agent} (pid {Pid}) finished", agentName, child.Pid);
        }
        else
        {
            logger.LogWarning("Agent {Agent} (pid {Pid}) {Exit}", agentName, child.Pid, exit.Description);
        }

        try
        {
            StatusChanged?.Invoke(this, exited);
        }
        catch (Exception ex)
        {
            // Completion must never fault; a broken subscriber is a bug to see in the log, not a lost outcome.
            logger.LogError(ex, "A StatusChanged handler of agent {Agent} failed", agentName);
        }

        return new AgentOutcome(exit.Succeeded, exit.ExitCode, exit.Description);
    }
}
