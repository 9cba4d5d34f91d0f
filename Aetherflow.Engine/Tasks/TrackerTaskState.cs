namespace Aetherflow.Engine.Tasks;

/// <summary>A tracker task's status, with prog's names and meaning.</summary>
public enum TrackerTaskState
{
    /// <summary>Being scoped; never ready.</summary>
    Draft,

    /// <summary>Waiting to be worked on; ready when every dependency is done or canceled.</summary>
    Open,

    /// <summary>Claimed by an agent.</summary>
    InProgress,

    /// <summary>Legacy prog status; nothing sets it any more.</summary>
    Blocked,

    /// <summary>Work finished; waiting for its branch to land.</summary>
    Reviewing,

    /// <summary>Finished.</summary>
    Done,

    /// <summary>Abandoned; resolves dependencies like done.</summary>
    Canceled,
}
