namespace FactCheck.Bench;

/// <summary>Word lists the generator composes names and statements from.</summary>
internal static class Words
{
    // Each entry: the canonical spelling first, then transliteration variants.
    public static readonly string[][] FirstNames =
    [
        ["Mohammad", "Muhammad", "Mohammed"], ["Abbas"], ["Ali"], ["Hassan", "Hasan"], ["Hussein", "Husain", "Hossein"],
        ["Yusuf", "Youssef", "Yousef"], ["Omar", "Umar"], ["Fatima", "Fatemeh"], ["Aisha", "Ayesha"], ["Khalid", "Khaled"],
        ["Sergei", "Sergey"], ["Dmitry", "Dmitri"], ["Alexei", "Aleksei", "Alexey"], ["Yulia", "Julia"], ["Maria"],
        ["Olena", "Elena", "Yelena"], ["Volodymyr", "Vladimir"], ["Xi"], ["Wang"], ["Li"], ["Zhang"], ["Anthony"],
        ["Emmanuel"], ["Olaf"], ["Ursula"], ["Narendra"], ["Shehbaz", "Shahbaz"], ["Recep"], ["Benjamin"], ["Kamala"],
        ["Joseph"], ["Ishaq"], ["Rishi"], ["Keir"], ["Giorgia"], ["Pedro"], ["Luiz"], ["Cyril"], ["Abiy"], ["Jacinda"],
    ];

    public static readonly string[][] Surnames =
    [
        ["Araqchi", "Araghchi"], ["al-Sudani", "Al Sudani", "Sudani"], ["Lavrov"], ["Peskov"], ["Zakharova"],
        ["Kuleba"], ["Zelensky", "Zelenskyy", "Zelenskiy"], ["Blinken"], ["Macron"], ["Scholz"], ["von der Leyen"],
        ["Modi"], ["Sharif"], ["Dar"], ["Erdogan", "Erdoğan"], ["Netanyahu"], ["Harris"], ["Biden"], ["Sunak"],
        ["Starmer"], ["Meloni"], ["Sanchez", "Sánchez"], ["da Silva"], ["Ramaphosa"], ["Ahmed"], ["Ardern"],
        ["Pezeshkian", "Pezeshkiyan"], ["Raisi", "Raeesi"], ["Qalibaf", "Ghalibaf"], ["Baghaei", "Baqaei"],
        ["al-Thani", "Al Thani", "Thani"], ["bin Farhan", "Bin Farhan"], ["Safadi"], ["Shoukry", "Shukri"],
        ["Mikati"], ["Berri"], ["Nasrallah", "Nasrullah"], ["Haniyeh", "Haniya"], ["Abbas"], ["Mitsotakis"],
        ["Tusk"], ["Orban", "Orbán"], ["Fico"], ["Nawrocki"], ["Kishida"], ["Yoon"], ["Marcos"], ["Widodo"],
        ["Albanese"], ["Trudeau"], ["Sheinbaum"], ["Milei"], ["Petro"], ["Boric"], ["Lula"], ["Tinubu"],
        ["Ruto"], ["Museveni"], ["Kagame"], ["Tebboune"],
    ];

    public static readonly string[] RoleTitles =
    [
        "Foreign Minister", "Prime Minister", "President", "Spokesperson", "Defence Minister", "Finance Minister",
        "Ambassador", "Senator", "Chief of Staff", "Interior Minister", "Speaker of Parliament", "Deputy Prime Minister",
        "Energy Minister", "Trade Representative", "Party Leader",
    ];

    public static readonly string[] Organizations =
    [
        "Government of Iran", "Government of Iraq", "Russian Foreign Ministry", "Government of Ukraine", "US State Department",
        "European Commission", "Government of Pakistan", "Government of India", "Government of Turkey", "UK Government",
        "Government of France", "Government of Germany", "Arab League", "African Union", "United Nations", "NATO",
    ];

    public static readonly string[] Subjects =
    [
        "the government", "our country", "the ministry", "the resistance groups", "the international community", "our allies",
        "the opposition", "the security forces", "the central bank", "the coalition", "the negotiators", "the people",
        "the region", "our neighbours", "the armed forces", "the parliament", "the new administration", "the delegation",
    ];

    public static readonly string[] Verbs =
    [
        "will support", "has rejected", "will not accept", "is ready to discuss", "strongly condemns", "will continue to provide",
        "has never supported", "fully backs", "will review", "cannot ignore", "is committed to", "has agreed to",
        "will respond to", "categorically denies", "welcomes", "is deeply concerned about", "will defend", "will expand",
    ];

    public static readonly string[] Objects =
    [
        "any support needed", "the ceasefire proposal", "the sanctions", "the new trade agreement", "the nuclear talks",
        "the humanitarian corridor", "the peace plan", "foreign interference", "the energy subsidies", "the election results",
        "the border agreement", "the reconstruction fund", "the grain deal", "the security guarantees", "the debt relief package",
        "the refugee resettlement programme", "the arms embargo", "the climate commitments", "the price cap", "the investigation",
    ];

    public static readonly string[] Adjectives =
    [
        "unacceptable", "historic", "dangerous", "premature", "necessary", "irresponsible", "constructive", "unprecedented",
        "fragile", "decisive", "illegal", "long overdue", "counterproductive", "serious", "temporary",
    ];

    public static readonly string[] Places =
    [
        "Tehran", "Baghdad", "Damascus", "Beirut", "Islamabad", "Kyiv", "Moscow", "Brussels", "Washington", "Ankara",
        "Doha", "Cairo", "Geneva", "Vienna", "New Delhi", "Riyadh", "Amman", "Gaza", "Berlin", "Paris",
    ];

    public static readonly string[] Times =
    [
        "in the coming weeks", "before the end of the year", "without delay", "as long as necessary", "this month",
        "after the summit", "in the next round of talks", "at the earliest opportunity", "for the foreseeable future",
    ];

    /// <summary>Endings naming something specific; {rare} is a word of the long-tailed vocabulary.</summary>
    public static readonly string[] Details =
    [
        "under the {rare} agreement", "near {rare}", "with the {rare} delegation", "after the {rare} report",
        "during the {rare} summit", "according to {rare}", "despite the {rare} vote", "before the {rare} deadline",
    ];

    public static readonly string[] Templates =
    [
        "{subj} {verb} {obj} {time}",
        "{subj} {verb} {obj}",
        "what happened in {place} is {adj}, and {subj} {verb} {obj}",
        "we have said clearly that {obj} is {adj}",
        "{subj} {verb} {obj} in {place}",
        "more than {num} people are affected and {subj} {verb} {obj}",
        "let me be clear: {subj} {verb} {obj} {time}",
        "the decision on {obj} is {adj}",
        "{subj} {verb} the talks in {place} {time}",
        "it is {adj} to suggest that {subj} {verb} {obj}",
        "{num} days after the meeting in {place}, {subj} {verb} {obj}",
    ];

    public static readonly string[] Venues = ["press conference", "news briefing", "parliamentary session", "summit", "televised interview", "rally"];

    public static readonly (string Name, string Domain)[] Publications =
    [
        ("Dawn", "www.dawn.com"), ("Reuters", "www.reuters.com"), ("Associated Press", "apnews.com"), ("Al Jazeera", "www.aljazeera.com"),
        ("BBC News", "www.bbc.co.uk"), ("The Guardian", "www.theguardian.com"), ("Le Monde", "www.lemonde.fr"),
        ("Der Spiegel", "www.spiegel.de"), ("The Hindu", "www.thehindu.com"), ("Tehran Times", "www.tehrantimes.com"),
        ("Kyiv Independent", "kyivindependent.com"), ("TASS", "tass.com"), ("Anadolu Agency", "www.aa.com.tr"),
        ("The New York Times", "www.nytimes.com"), ("The Washington Post", "www.washingtonpost.com"), ("Haaretz", "www.haaretz.com"),
        ("Arab News", "www.arabnews.com"), ("The Express Tribune", "tribune.com.pk"), ("Daily Sabah", "www.dailysabah.com"),
        ("Deutsche Welle", "www.dw.com"), ("France 24", "www.france24.com"), ("NPR", "www.npr.org"),
    ];

    public static readonly string[] Wires = ["Reuters", "AFP", "AP", "dpa", "Anadolu", "IRNA", "APP", "Xinhua"];
}
