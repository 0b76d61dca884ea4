#include "generate/catalog.h"

#include <array>

namespace ura::generate {

namespace {

using NameList = const char* const[];

constexpr CountryInfo kCountries[kCountryCount] = {
    {"AL", "ALB", "355", "67,68,69", 7, 2000000, "ALL"},
    {"XK", "XKX", "383", "43,44,45,46,48,49", 6, 0, "EUR"},
    {"TR", "TUR", "90", "530,532,533,535,542,543,505,506,553,555", 7, 0, "TRY"},
    {"RS", "SRB", "381", "60,61,62,63,64,65,66", 7, 0, "EUR"},
    {"ME", "MNE", "382", "67,68,69", 6, 0, "EUR"},
    {"MK", "MKD", "389", "70,71,72,75,76,77,78", 6, 0, "EUR"},
    {"BA", "BIH", "387", "61,62,63,65,66", 6, 0, "EUR"},
    {"GR", "GRC", "30", "690,693,694,695,697,698,699", 7, 0, "EUR"},
    {"IT", "ITA", "39", "320,328,333,338,340,347,348,349,366,380", 7, 0, "EUR"},
    {"DE", "DEU", "49", "151,152,157,160,162,170,171,172,176", 8, 0, "EUR"},
    {"AT", "AUT", "43", "650,660,664,676,680,699", 7, 0, "EUR"},
    {"CH", "CHE", "41", "76,77,78,79", 7, 0, "EUR"},
};

// ---- Names -------------------------------------------------------------------------------

constexpr NameList kAlbanianMale = {
    "Arben",   "Blerim",  "Ardit",  "Besnik",  "Dritan",   "Edmond",  "Fatmir",  "Gazmend",
    "Ilir",    "Kujtim",  "Luan",   "Mehmet",  "Naim",     "Petrit",  "Ramadan", "Sokol",
    "Shpëtim", "Agim",    "Artan",  "Bujar",   "Dashamir", "Ermal",   "Florian", "Genc",
    "Klodian", "Lulzim",  "Mentor", "Nderim",  "Qemal",    "Rexhep",  "Skënder", "Taulant",
    "Valon",   "Xhevdet", "Ylli",   "Zef",     "Gjergj",   "Fatos",   "Erion",   "Ervin",
    "Adrian",  "Endrit",  "Altin",  "Bashkim", "Çlirim",   "Dëshmor", "Mërgim"};
constexpr NameList kAlbanianFemale = {"Elira",    "Teuta",   "Drita",   "Mimoza",  "Valbona",
                                      "Mirela",   "Anila",   "Blerta",  "Entela",  "Fatjona",
                                      "Jonida",   "Lindita", "Marsela", "Rudina",  "Shqipe",
                                      "Vjollca",  "Mirjeta", "Arjeta",  "Lirije",  "Besjana",
                                      "Kaltrina", "Donika",  "Xhenet",  "Flutura", "Ëndrita"};
constexpr NameList kAlbanianFamily = {
    "Hoxha",    "Çoci",    "Rombolaku", "Krasniqi", "Berisha", "Shehu",    "Dervishi",   "Gashi",
    "Leka",     "Kola",    "Prifti",    "Dushku",   "Meta",    "Topalli",  "Bajraktari", "Hasani",
    "Xhafa",    "Çela",    "Dedja",     "Marku",    "Gjoka",   "Kelmendi", "Thaçi",      "Rexhepi",
    "Lika",     "Zeqiri",  "Muça",      "Doçi",     "Kuçi",    "Haxhiu",   "Qerimi",     "Bytyçi",
    "Shkëmbi",  "Morina",  "Kastrati",  "Kryeziu",  "Shala",   "Mustafa",  "Hoti",       "Dibra",
    "Lleshi",   "Gjonaj",  "Malaj",     "Ahmeti",   "Braka",   "Cani",     "Dokle",      "Ndreu",
    "Sulaj",    "Tafaj",   "Vrioni",    "Zhupa",    "Koçi",    "Bushati",  "Sejdiu",     "Musliu",
    "Brahimaj", "Xhaferi", "Lamaj",     "Çupi"};
constexpr NameList kTurkishMale = {"Mehmet",  "Mustafa", "Ahmet",  "Ali",      "Hüseyin", "Hasan",
                                   "İbrahim", "İsmail",  "Osman",  "Yusuf",    "Murat",   "Ömer",
                                   "Şükrü",   "Ramazan", "Halil",  "Süleyman", "Emre",    "Burak",
                                   "Serkan",  "Uğur",    "Gökhan", "Çağlar",   "Kadir",   "İlker"};
constexpr NameList kTurkishFemale = {"Ayşe",  "Fatma",  "Emine",  "Hatice", "Zeynep", "Elif",
                                     "Özlem", "Gülşen", "Şerife", "Yağmur", "Büşra"};
constexpr NameList kTurkishFamily = {
    "Yılmaz", "Kaya",    "Demir",  "Şahin",  "Çelik",   "Yıldız", "Yıldırım", "Öztürk",
    "Aydın",  "Özdemir", "Arslan", "Doğan",  "Kılıç",   "Aslan",  "Çetin",    "Kara",
    "Koç",    "Kurt",    "Özkan",  "Şimşek", "Ağaoğlu", "Işık",   "Güneş",    "Erdoğan",
    "Polat",  "Akgül",   "Karaca", "Çakır",  "Bozkurt"};
constexpr NameList kSerbianMale = {
    "Đorđe", "Nikola", "Marko",   "Stefan",   "Miloš", "Nemanja",  "Aleksandar", "Dragan", "Zoran",
    "Goran", "Dejan",  "Milan",   "Vladimir", "Dušan", "Predrag",  "Slobodan",   "Željko", "Bojan",
    "Ivan",  "Vuk",    "Radovan", "Nenad",    "Srđan", "Ljubomir", "Miodrag"};
constexpr NameList kSerbianFemale = {"Jelena", "Milica", "Ana",    "Marija",   "Dragana", "Snežana",
                                     "Ivana",  "Jovana", "Tijana", "Ljiljana", "Gordana"};
constexpr NameList kSerbianFamily = {
    "Petrović",  "Jovanović", "Nikolić",   "Marković", "Đorđević", "Stojanović", "Ilić",
    "Stanković", "Pavlović",  "Milošević", "Ćosić",    "Popović",  "Živković",   "Todorović",
    "Lazić",     "Kovačević", "Đukić",     "Savić",    "Milić",    "Ristić",     "Mitrović",
    "Lukić",     "Obradović", "Simić",     "Tomić"};
constexpr NameList kMontenegrinFamily = {
    "Vuković", "Radović",    "Vujović",     "Bulatović", "Đukanović", "Radulović", "Vujošević",
    "Šćekić",  "Dragićević", "Kaluđerović", "Perović",   "Raičević",  "Lalić",     "Knežević"};
constexpr NameList kMacedonianMale = {"Dimitar", "Trajko", "Stojan", "Vlatko", "Blagoja",
                                      "Gjorgji", "Kiril",  "Zlatko", "Mile",   "Toni",
                                      "Petre",   "Ljupčo", "Boris"};
constexpr NameList kMacedonianFemale = {"Elena",   "Biljana", "Vesna",    "Katerina",
                                        "Slavica", "Zorica",  "Makedonka"};
constexpr NameList kMacedonianFamily = {"Trajkovski",  "Stojanovski", "Nikolovski",  "Petrovski",
                                        "Dimitrovski", "Jovanovski",  "Georgievski", "Angelovski",
                                        "Ristovski",   "Kostovski",   "Mitrevski",   "Stefanovski",
                                        "Ilievski",    "Arsovski",    "Gjorgjievski"};
constexpr NameList kBosniakMale = {"Emir",  "Edin",   "Adnan", "Haris", "Amir",   "Mirza",
                                   "Senad", "Nermin", "Kenan", "Almir", "Jasmin", "Dženan"};
constexpr NameList kBosniakFemale = {"Amra", "Lejla", "Selma", "Aida", "Emina", "Merima", "Azra"};
constexpr NameList kBosniakFamily = {"Hodžić",    "Hadžić",    "Mehmedović", "Begić",  "Delić",
                                     "Halilović", "Hasanović", "Omerović",   "Suljić", "Ćatić",
                                     "Softić",    "Bešić",     "Karić",      "Mujkić", "Džeko"};
constexpr NameList kGreekMale = {"Georgios",   "Dimitrios", "Konstantinos", "Ioannis",
                                 "Nikolaos",   "Christos",  "Panagiotis",   "Vasileios",
                                 "Athanasios", "Evangelos", "Spyridon"};
constexpr NameList kGreekFemale = {"Maria", "Eleni", "Aikaterini", "Sofia", "Vasiliki", "Georgia"};
constexpr NameList kGreekFamily = {"Papadopoulos",   "Papadakis", "Georgiou", "Nikolaidis",
                                   "Konstantinidis", "Dimitriou", "Vlachos",  "Karagiannis",
                                   "Oikonomou",      "Makris",    "Pappas",   "Angelopoulos"};
constexpr NameList kItalianMale = {"Giuseppe",   "Giovanni", "Antonio",   "Francesco",
                                   "Mario",      "Luigi",    "Salvatore", "Marco",
                                   "Alessandro", "Vincenzo", "Domenico",  "Nicolò"};
constexpr NameList kItalianFemale = {"Giulia", "Francesca", "Chiara", "Anna", "Rosa", "Lucia"};
constexpr NameList kItalianFamily = {"Rossi",   "Russo",   "Ferrari",  "Esposito", "Bianchi",
                                     "Romano",  "Colombo", "Ricci",    "Marino",   "Greco",
                                     "De Luca", "Mancini", "Lombardi", "D'Angelo", "Caruso"};

constexpr NamePool kPools[kCultureCount] = {
    {kAlbanianMale, kAlbanianFemale, kAlbanianFamily},
    {kTurkishMale, kTurkishFemale, kTurkishFamily},
    {kSerbianMale, kSerbianFemale, kSerbianFamily},
    {kSerbianMale, kSerbianFemale, kMontenegrinFamily},
    {kMacedonianMale, kMacedonianFemale, kMacedonianFamily},
    {kBosniakMale, kBosniakFemale, kBosniakFamily},
    {kGreekMale, kGreekFemale, kGreekFamily},
    {kItalianMale, kItalianFemale, kItalianFamily},
};

constexpr NameList kNicknames = {"Beni", "Toni",  "Dini",    "Zeza",     "Kapo",  "Luli",  "Tani",
                                 "Geni", "Bimbi", "Çimi",    "Lali",     "Cufi",  "Niku",  "Bledi",
                                 "Gimi", "Xhoni", "Doktori", "Shefi",    "Turku", "Plaku", "Kobra",
                                 "Mici", "Ujku",  "Baba",    "Il Greco", "Crni",  "Švabo", "Mali"};

// ---- Places ------------------------------------------------------------------------------

constexpr City kCities[] = {
    {Country::kAL, "Tiranë", "1001", ""},
    {Country::kAL, "Durrës", "2001", ""},
    {Country::kAL, "Shkodër", "4001", ""},
    {Country::kAL, "Elbasan", "3001", ""},
    {Country::kAL, "Vlorë", "9401", ""},
    {Country::kAL, "Korçë", "7001", ""},
    {Country::kAL, "Fier", "9301", ""},
    {Country::kAL, "Berat", "5001", ""},
    {Country::kAL, "Lushnjë", "9001", ""},
    {Country::kAL, "Kavajë", "2501", ""},
    {Country::kAL, "Gjirokastër", "6001", ""},
    {Country::kAL, "Sarandë", "9701", ""},
    {Country::kAL, "Kukës", "8501", ""},
    {Country::kAL, "Lezhë", "4501", ""},
    {Country::kAL, "Pogradec", "7301", ""},
    {Country::kXK, "Prishtinë", "10000", ""},
    {Country::kXK, "Prizren", "20000", ""},
    {Country::kXK, "Pejë", "30000", ""},
    {Country::kXK, "Gjakovë", "50000", ""},
    {Country::kXK, "Mitrovicë", "40000", ""},
    {Country::kXK, "Ferizaj", "70000", ""},
    {Country::kXK, "Gjilan", "60000", ""},
    {Country::kTR, "İstanbul", "34000", ""},
    {Country::kTR, "İzmir", "35000", ""},
    {Country::kTR, "Ankara", "06000", ""},
    {Country::kTR, "Bursa", "16000", ""},
    {Country::kTR, "Edirne", "22000", ""},
    {Country::kTR, "Antalya", "07000", ""},
    {Country::kRS, "Beograd", "11000", ""},
    {Country::kRS, "Novi Sad", "21000", ""},
    {Country::kRS, "Niš", "18000", ""},
    {Country::kRS, "Kragujevac", "34000", ""},
    {Country::kRS, "Novi Pazar", "36300", ""},
    {Country::kRS, "Subotica", "24000", ""},
    {Country::kME, "Podgorica", "81000", ""},
    {Country::kME, "Ulcinj", "85360", ""},
    {Country::kME, "Bar", "85000", ""},
    {Country::kME, "Nikšić", "81400", ""},
    {Country::kME, "Budva", "85310", ""},
    {Country::kME, "Rožaje", "84310", ""},
    {Country::kMK, "Skopje", "1000", ""},
    {Country::kMK, "Tetovo", "1200", ""},
    {Country::kMK, "Gostivar", "1230", ""},
    {Country::kMK, "Struga", "6330", ""},
    {Country::kMK, "Ohrid", "6000", ""},
    {Country::kMK, "Kumanovo", "1300", ""},
    {Country::kBA, "Sarajevo", "71000", ""},
    {Country::kBA, "Tuzla", "75000", ""},
    {Country::kBA, "Zenica", "72000", ""},
    {Country::kBA, "Mostar", "88000", ""},
    {Country::kBA, "Bihać", "77000", ""},
    {Country::kGR, "Athina", "10431", ""},
    {Country::kGR, "Thessaloniki", "54625", ""},
    {Country::kGR, "Ioannina", "45221", ""},
    {Country::kGR, "Patra", "26221", ""},
    {Country::kGR, "Larisa", "41221", ""},
    {Country::kIT, "Bari", "70121", "A662"},
    {Country::kIT, "Milano", "20121", "F205"},
    {Country::kIT, "Roma", "00184", "H501"},
    {Country::kIT, "Torino", "10121", "L219"},
    {Country::kIT, "Brindisi", "72100", "B180"},
    {Country::kIT, "Lecce", "73100", "E506"},
    {Country::kIT, "Bologna", "40121", "A944"},
    {Country::kDE, "München", "80331", ""},
    {Country::kDE, "Frankfurt am Main", "60311", ""},
    {Country::kDE, "Stuttgart", "70173", ""},
    {Country::kDE, "Köln", "50667", ""},
    {Country::kAT, "Wien", "1100", ""},
    {Country::kAT, "Graz", "8020", ""},
    {Country::kCH, "Zürich", "8004", ""},
    {Country::kCH, "Basel", "4057", ""},
};

constexpr NameList kStreetsAL = {
    "Rruga e Kavajës",     "Rruga Myslym Shyri",      "Bulevardi Zogu I",     "Rruga e Durrësit",
    "Rruga Sami Frashëri", "Rruga Ismail Qemali",     "Rruga Abdyl Frashëri", "Rruga Don Bosko",
    "Rruga e Elbasanit",   "Rruga Fortuzi",           "Rruga e Dibrës",       "Rruga Qemal Stafa",
    "Lagjja Kala",         "Rruga Skënderbeu",        "Rruga Pjetër Bogdani", "Rruga Hoxha Tahsim",
    "Rruga Naim Frashëri", "Bulevardi Gjergj Fishta", "Rruga Kont Urani",     "Rruga Mine Peza"};
constexpr NameList kStreetsXK = {"Rruga Nëna Terezë",    "Rruga Agim Ramadani", "Rruga UÇK",
                                 "Rruga Luan Haradinaj", "Rruga Fehmi Agani",   "Rruga Rexhep Luci",
                                 "Rruga Ilir Konushevci"};
constexpr NameList kStreetsTR = {
    "Atatürk Caddesi",  "Cumhuriyet Caddesi", "İstiklal Caddesi", "Gazi Mustafa Kemal Bulvarı",
    "Şehit Ömer Sokak", "Gül Sokak",          "İnönü Caddesi"};
constexpr NameList kStreetsRS = {"Bulevar kralja Aleksandra",
                                 "Knez Mihailova",
                                 "Nemanjina",
                                 "Cara Dušana",
                                 "Vojvode Stepe",
                                 "Njegoševa",
                                 "Kneza Miloša"};
constexpr NameList kStreetsME = {"Bulevar Svetog Petra Cetinjskog", "Hercegovačka", "Slobode",
                                 "Njegoševa", "Bulevar Džordža Vašingtona"};
constexpr NameList kStreetsMK = {"Makedonija", "Bulevar Ilinden", "Dame Gruev", "Partizanska",
                                 "Ilindenska"};
constexpr NameList kStreetsBA = {"Ferhadija", "Maršala Tita", "Zmaja od Bosne", "Titova",
                                 "Branilaca grada"};
constexpr NameList kStreetsGR = {"Egnatia", "Leoforos Kifisias", "Ermou", "Tsimiski", "Patision"};
constexpr NameList kStreetsIT = {"Via Roma",    "Via Garibaldi",        "Corso Vittorio Emanuele",
                                 "Via Sparano", "Via Giuseppe Mazzini", "Via Cavour"};
constexpr NameList kStreetsDE = {"Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Goethestraße",
                                 "Kaiserstraße"};
constexpr NameList kStreetsAT = {"Favoritenstraße", "Mariahilfer Straße", "Annenstraße"};
constexpr NameList kStreetsCH = {"Langstrasse", "Badenerstrasse", "Feldbergstrasse"};

constexpr std::span<const char* const> kStreets[kCountryCount] = {
    kStreetsAL, kStreetsXK, kStreetsTR, kStreetsRS, kStreetsME, kStreetsMK,
    kStreetsBA, kStreetsGR, kStreetsIT, kStreetsDE, kStreetsAT, kStreetsCH};

constexpr const char* kForeignBelfiore[kCountryCount] = {
    "Z100", "Z160", "Z243", "Z158", "Z159", "Z148", "Z153", "Z115", "", "Z112", "Z102", "Z133"};

// ---- Banks (bank codes as they appear inside IBANs) --------------------------------------

constexpr Bank kBanks[] = {
    {Country::kAL, "Banka Kombëtare Tregtare", "205", "BKT"},
    {Country::kAL, "Raiffeisen Bank Albania", "202", "RBAL"},
    {Country::kAL, "Credins Bank", "212", "CREDINS"},
    {Country::kAL, "Intesa Sanpaolo Bank Albania", "208", "ISBA"},
    {Country::kAL, "OTP Bank Albania", "211", "OTPAL"},
    {Country::kAL, "Union Bank", "221", "UNION"},
    {Country::kAL, "ProCredit Bank Albania", "218", "PCBA"},
    {Country::kXK, "ProCredit Bank Kosovo", "11", "PCBK"},
    {Country::kXK, "Banka për Biznes", "13", "BPB"},
    {Country::kXK, "TEB Kosova", "20", "TEBK"},
    {Country::kTR, "Türkiye İş Bankası", "00064", "ISBANK"},
    {Country::kTR, "Ziraat Bankası", "00010", "ZIRAAT"},
    {Country::kTR, "Garanti BBVA", "00062", "GARANTI"},
    {Country::kRS, "Banca Intesa Beograd", "160", "INTESA"},
    {Country::kRS, "Komercijalna banka", "205", "KOMBANK"},
    {Country::kME, "Crnogorska komercijalna banka", "510", "CKB"},
    {Country::kME, "NLB Banka Podgorica", "530", "NLBME"},
    {Country::kMK, "Komercijalna banka Skopje", "300", "KBSK"},
    {Country::kMK, "Stopanska banka", "200", "STB"},
    {Country::kBA, "UniCredit Bank Mostar", "338", "UCBA"},
    {Country::kGR, "Alpha Bank", "014", "ALPHA"},
    {Country::kGR, "Piraeus Bank", "017", "PIRAEUS"},
    {Country::kGR, "Eurobank", "026", "EUROBANK"},
    {Country::kIT, "Intesa Sanpaolo", "03069", "ISP"},
    {Country::kIT, "UniCredit", "02008", "UCI"},
    {Country::kIT, "Banca Popolare di Bari", "05424", "BPB-IT"},
    {Country::kDE, "Deutsche Bank", "50070010", "DB"},
    {Country::kDE, "Sparkasse KölnBonn", "37050198", "SPKKB"},
    {Country::kDE, "Commerzbank", "20040000", "COBA"},
    {Country::kAT, "Erste Bank", "20111", "ERSTE"},
    {Country::kCH, "UBS Switzerland", "00230", "UBS"},
    {Country::kCH, "PostFinance", "09000", "POFI"},
};

// ---- Police data -------------------------------------------------------------------------

constexpr NameList kCrossingPoints = {
    "Kakavijë",       "Kapshticë",        "Qafë Thanë", "Tre Urat",    "Hani i Hotit",
    "Muriqan",        "Morinë",           "Qafë Prush", "Rinas (TIA)", "Porti i Durrësit",
    "Porti i Vlorës", "Porti i Sarandës", "Qafë Botë",  "Bllatë"};

constexpr Unit kUnits[] = {
    {"TR", "Drejtoria Vendore e Policisë Tiranë – Seksioni i Krimeve të Rënda"},
    {"DR", "Drejtoria Vendore e Policisë Durrës – Sektori i Antidrogës"},
    {"SH", "Drejtoria Vendore e Policisë Shkodër – Sektori i Krimit të Organizuar"},
    {"VL", "Drejtoria Vendore e Policisë Vlorë – Sektori Kufitar"},
    {"EL", "Drejtoria Vendore e Policisë Elbasan – Seksioni i Hetimit"},
    {"KO", "Drejtoria Vendore e Policisë Korçë – Sektori i Trafiqeve"},
    {"FR", "Drejtoria Vendore e Policisë Fier – Seksioni i Krimeve Ekonomike"},
    {"TF", "Task Force – Krimi i Organizuar"},
};

constexpr NameList kCharges = {"drug trafficking",
                               "money laundering",
                               "human smuggling",
                               "illegal possession of weapons",
                               "extortion",
                               "fraud",
                               "cigarette smuggling",
                               "participation in a structured criminal group",
                               "cannabis cultivation",
                               "document forgery",
                               "robbery",
                               "trafficking of motor vehicles",
                               "corruption of officials",
                               "tax evasion"};

constexpr NameList kCaseTitles = {
    "Operacioni Shqiponja", "Operacioni Drini",   "Operacioni Vjosa",   "Operacioni Kanabis",
    "Operacioni Porti",     "Operacioni Hija",    "Operacioni Balkani", "Operacioni Kufiri",
    "Operacioni Toka",      "Operacioni Deti",    "Operacioni Mali",    "Operacioni Zjarri",
    "Operacioni Arka",      "Operacioni Valixhe", "Operacioni Gjarpri", "Operacioni Ura"};

constexpr NameList kWantedOffences = {"Trafficking of narcotic drugs",
                                      "Murder",
                                      "Attempted murder",
                                      "Armed robbery",
                                      "Money laundering",
                                      "Smuggling of migrants",
                                      "Participation in a criminal organisation",
                                      "Extortion",
                                      "Illicit trafficking in weapons",
                                      "Fraud",
                                      "Kidnapping",
                                      "Forgery of documents"};

// ---- Vehicles ----------------------------------------------------------------------------

constexpr CarModel kCarModels[] = {{"Mercedes-Benz", "C 220", "WDD", 14},
                                   {"Mercedes-Benz", "E 250", "WDD", 10},
                                   {"Mercedes-Benz", "Sprinter", "WDB", 5},
                                   {"Mercedes-Benz", "Vito", "WDF", 4},
                                   {"Volkswagen", "Golf", "WVW", 9},
                                   {"Volkswagen", "Passat", "WVW", 7},
                                   {"Volkswagen", "Touareg", "WVG", 3},
                                   {"Volkswagen", "Transporter", "WV1", 3},
                                   {"BMW", "320d", "WBA", 5},
                                   {"BMW", "X5", "WBA", 3},
                                   {"BMW", "520d", "WBA", 3},
                                   {"Audi", "A4", "WAU", 4},
                                   {"Audi", "A6", "WAU", 3},
                                   {"Audi", "Q7", "WA1", 2},
                                   {"Fiat", "Punto", "ZFA", 3},
                                   {"Fiat", "Doblò", "ZFA", 2},
                                   {"Toyota", "Yaris", "JTD", 2},
                                   {"Toyota", "RAV4", "JTM", 2},
                                   {"Toyota", "Land Cruiser", "JTE", 3},
                                   {"Škoda", "Octavia", "TMB", 3},
                                   {"Škoda", "Superb", "TMB", 2},
                                   {"Renault", "Clio", "VF1", 2},
                                   {"Peugeot", "308", "VF3", 2},
                                   {"Ford", "Transit", "WF0", 3},
                                   {"Ford", "Focus", "WF0", 2},
                                   {"Opel", "Astra", "W0L", 2},
                                   {"Hyundai", "Tucson", "KMH", 2},
                                   {"Dacia", "Duster", "UU1", 2},
                                   {"Land Rover", "Range Rover", "SAL", 2}};

constexpr NameList kColours = {"E zezë",    "E bardhë", "Gri",  "Blu",  "E kuqe",
                               "Argjendtë", "Jeshile",  "Kafe", "Bezhë"};

// ---- Companies and payments --------------------------------------------------------------

constexpr NameList kCompanyWords = {"Alb",      "Dajti",   "Ilira",     "Adriatik", "Shqiponja",
                                    "Drini",    "Vjosa",   "Tomorri",   "Korabi",   "Jonian",
                                    "Butrinti", "Arbëria", "Kastrioti", "Lumi",     "Bregu",
                                    "Nova",     "Euro",    "Balkan",    "Rozafa",   "Ylberi"};
constexpr NameList kCompanyTrades = {"Construction", "Trans",      "Petrol",   "Import-Export",
                                     "Trading",      "Car Rental", "Security", "Travel",
                                     "Logistics",    "Invest",     "Group",    "Food"};
constexpr NameList kPaymentPurposes = {
    "salary",          "rent",         "family support", "invoice payment",
    "loan instalment", "car purchase", "school fees",    "goods delivery",
    "services",        "utilities",    "transfer",       "construction materials"};
constexpr NameList kLaunderingPurposes = {
    "consulting services", "loan",   "loan repayment", "investment", "commission",
    "goods advance",       "refund", "deposit",        "transfer",   "property down payment"};

}  // namespace

const CountryInfo& Info(Country country) { return kCountries[static_cast<int>(country)]; }
const NamePool& Names(Culture culture) { return kPools[static_cast<int>(culture)]; }
std::span<const char* const> Nicknames() { return kNicknames; }
std::span<const City> Cities() { return kCities; }
std::span<const char* const> Streets(Country country) {
  return kStreets[static_cast<int>(country)];
}
const char* ForeignBelfiore(Country country) { return kForeignBelfiore[static_cast<int>(country)]; }
std::span<const Bank> Banks() { return kBanks; }
std::span<const char* const> CrossingPoints() { return kCrossingPoints; }
std::span<const Unit> Units() { return kUnits; }
std::span<const char* const> Charges() { return kCharges; }
std::span<const char* const> CaseTitles() { return kCaseTitles; }
std::span<const char* const> WantedOffences() { return kWantedOffences; }
std::span<const CarModel> CarModels() { return kCarModels; }
std::span<const char* const> Colours() { return kColours; }
std::span<const char* const> CompanyWords() { return kCompanyWords; }
std::span<const char* const> CompanyTrades() { return kCompanyTrades; }
std::span<const char* const> PaymentPurposes() { return kPaymentPurposes; }
std::span<const char* const> LaunderingPurposes() { return kLaunderingPurposes; }

}  // namespace ura::generate
