namespace FactCheck.Core.Storage;

/// <summary>A stored item with its insertion sequence, which breaks ordering ties for keyset paging.</summary>
public sealed record Sequenced<T>(T Item, long Sequence);
