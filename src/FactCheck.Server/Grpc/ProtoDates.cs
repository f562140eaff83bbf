using FactCheck.Core.Errors;
using Google.Protobuf.WellKnownTypes;

namespace FactCheck.Server.Grpc;

/// <summary>google.type.Date and Timestamp conversions; an all-zero Date means "not set".</summary>
internal static class ProtoDates
{
    public static DateOnly? ToDateOnly(Google.Type.Date? date, string field)
    {
        if (date is null || (date.Year == 0 && date.Month == 0 && date.Day == 0)) return null;
        if (date.Year is < 1 or > 9999 || date.Month is < 1 or > 12 || date.Day < 1 || date.Day > DateTime.DaysInMonth(date.Year, date.Month))
            throw new InvalidArgumentException(field, $"{date.Year:D4}-{date.Month:D2}-{date.Day:D2} is not a calendar date (year, month and day are all required)");
        return new DateOnly(date.Year, date.Month, date.Day);
    }

    public static Google.Type.Date? ToProto(DateOnly? date) =>
        date is { } d ? new Google.Type.Date { Year = d.Year, Month = d.Month, Day = d.Day } : null;

    public static DateTimeOffset? ToDateTimeOffset(Timestamp? timestamp, string field)
    {
        if (timestamp is null) return null;
        try
        {
            return timestamp.ToDateTimeOffset();
        }
        catch (InvalidOperationException)
        {
            throw new InvalidArgumentException(field, "not a valid timestamp");
        }
    }

    public static Timestamp? ToProto(DateTimeOffset? time) => time is { } t ? Timestamp.FromDateTimeOffset(t) : null;
}
