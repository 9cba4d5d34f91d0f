using Aetherflow.Engine.Hosting;

namespace Aetherflow.Engine.Demo;

/// <summary>How <see cref="DemoRun.StartAsync"/> sets up a demo.</summary>
public sealed record DemoRunOptions
{
    /// <summary>The folder the demo's throw-away folder is made in (a temp folder).</summary>
    public required string BaseDirectory { get; init; }

    /// <summary>The user's environment. The demo's engine gets it without <c>AETHERFLOW_*</c> settings and with its own
    /// state and config folders inside the throw-away folder.</summary>
    public required HostEnvironment Environment { get; init; }

    /// <summary>The opencode executable (see <c>OpencodeInstaller</c>).</summary>
    public required string OpencodeExecutable { get; init; }

    /// <summary>The folder of the <c>aetherflow</c> executable, put first on the agents' PATH for <c>aetherflow task</c>.</summary>
    public string? CliDirectory { get; init; }

    /// <summary>The pause before each answer of the demo model, so a person can follow the agents.</summary>
    public TimeSpan AnswerDelay { get; init; } = TimeSpan.FromMilliseconds(600);

    /// <summary>Agent slots.</summary>
    public int PoolSize { get; init; } = 2;

    /// <summary>Keep the throw-away folder when the run is disposed.</summary>
    public bool Keep { get; init; }

    /// <summary>How long the demo's opencode server and model may live at most, even if aetherflow dies.</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromHours(2);

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
