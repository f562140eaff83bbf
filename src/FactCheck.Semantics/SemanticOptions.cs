namespace FactCheck.Semantics;

/// <summary>The <c>Semantics</c> configuration section.</summary>
public sealed class SemanticOptions
{
    /// <summary><c>minilm</c> (all-MiniLM-L6-v2, in process, offline; the default) or <c>none</c>/<c>off</c>: verification by
    /// words alone, no model loaded, claims still queued for whenever a model is configured.</summary>
    public string Embedder { get; set; } = "minilm";

    /// <summary>Threads one model call may use. One leaves the other core of a small machine to serving and writes.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Where the index keeps its full-precision vectors for re-ranking: <c>file</c> (a half-precision scratch
    /// file read through the page cache, so a million vectors stay out of the process) or <c>heap</c> (faster for a
    /// small record).</summary>
    public string RescoreVectors { get; set; } = "file";

    /// <summary>Folder of the scratch file and of the model file copied out of its package (default: the system's temporary
    /// folder).</summary>
    public string? ScratchDirectory { get; set; }

    /// <summary>How often the index reads the store's vector feed: what another instance embedded or deleted is found
    /// within this (plus the time to embed it).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    public IndexerOptions Indexer { get; set; } = new();
}

/// <summary>The <c>Semantics:Indexer</c> section: the background embedding of claims.</summary>
public sealed class IndexerOptions
{
    /// <summary>Whether this instance embeds queued claims (any number of instances may; they share the queue).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Claims embedded per model call and stored per transaction.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>How long a leased batch is this instance's; a lease that runs out returns the batch to the queue.</summary>
    public TimeSpan LeaseTime { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The indexer waits until no bulk import has written for this long, so that it never competes with one.</summary>
    public TimeSpan QuietPeriod { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest it waits for imports to pause before embedding one batch anyway.</summary>
    public TimeSpan MaxDeferral { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Whether embedded claims get relation suggestions with their nearest claims.</summary>
    public bool SuggestRelations { get; set; } = true;

    /// <summary>Nearest claims by meaning each embedded claim is compared with for relations.</summary>
    public int RelationNeighbours { get; set; } = 10;
}
