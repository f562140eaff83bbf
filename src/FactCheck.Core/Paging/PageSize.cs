namespace FactCheck.Core.Paging;

/// <summary>AIP-158 page sizes: 0 means the default, above the maximum is coerced down, negative is an error.</summary>
public static class PageSize
{
    public const int Default = 50;
    public const int Maximum = 1000;

    public static int Resolve(int requested, string field = "page_size") => requested switch
    {
        < 0 => throw new InvalidArgumentException(field, "must not be negative"),
        0 => Default,
        > Maximum => Maximum,
        _ => requested,
    };
}
