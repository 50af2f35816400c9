/**
 * Hand-rolled data for believable leads in several languages and scripts. Names in non-Latin
 * scripts carry a romanised form for the e-mail address, as people's real addresses usually do.
 */
export interface LocaleData {
  locale: string;
  /** [written, romanised] */
  first: [string, string][];
  last: [string, string][];
  cities: string[];
  /** Builds a phone number from 8 random digits. */
  phone: (digits: string) => string;
  domains: string[];
  /** Custom questions in the locale's language: label and option labels. */
  questions: { label: string; options: string[] | null }[];
  formNames: string[];
  /** Family name first (Japanese) */
  familyFirst?: boolean;
}

const same = (xs: string[]): [string, string][] => xs.map((x) => [x, x.toLowerCase()]);

export const locales: LocaleData[] = [
  {
    locale: 'en_US',
    first: same([
      'James',
      'Mary',
      'Robert',
      'Patricia',
      'Michael',
      'Jennifer',
      'David',
      'Linda',
      'Chris',
      'Emily',
      'Daniel',
      'Ashley',
      'Kevin',
      'Megan',
      'Brian',
      'Olivia',
    ]),
    last: same([
      'Smith',
      'Johnson',
      'Williams',
      'Brown',
      'Jones',
      'Miller',
      'Davis',
      'Wilson',
      'Anderson',
      'Taylor',
      'Thomas',
      'Moore',
      'Martin',
      'Clark',
      "O'Neill",
      'Nguyen',
    ]),
    cities: [
      'Austin',
      'Denver',
      'Portland',
      'Chicago',
      'Phoenix',
      'Seattle',
      'Atlanta',
      'Boston',
      'San Diego',
      'Nashville',
    ],
    phone: (d) =>
      `+1${['512', '303', '503', '312', '602', '206'][Number(d[0]) % 6]}${d.slice(1, 8)}`,
    domains: ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'hotmail.com'],
    questions: [
      {
        label: 'When would you like to start?',
        options: ['As soon as possible', 'Within a month', 'Just browsing'],
      },
      {
        label: 'What is your budget?',
        options: ['Under $1,000', '$1,000 - $5,000', 'Over $5,000'],
      },
      { label: 'Anything we should know?', options: null },
    ],
    formNames: [
      'Free quote',
      'Spring promo',
      'Book a consultation',
      'Newsletter signup',
      'Test drive request',
    ],
  },
  {
    locale: 'es_ES',
    first: same([
      'Lucía',
      'Hugo',
      'Martina',
      'Mateo',
      'Sofía',
      'Leo',
      'Valeria',
      'Pablo',
      'Carmen',
      'Álvaro',
      'Paula',
      'Javier',
    ]).map(([n]) => [n, deaccent(n).toLowerCase()]),
    last: same([
      'García',
      'Fernández',
      'González',
      'Rodríguez',
      'López',
      'Martínez',
      'Sánchez',
      'Pérez',
      'Gómez',
      'Muñoz',
    ]).map(([n]) => [n, deaccent(n).toLowerCase()]),
    cities: [
      'Madrid',
      'Barcelona',
      'Valencia',
      'Sevilla',
      'Málaga',
      'Bilbao',
      'Zaragoza',
      'A Coruña',
    ],
    phone: (d) => `+346${d.slice(0, 8)}`,
    domains: ['gmail.com', 'hotmail.es', 'yahoo.es', 'telefonica.net'],
    questions: [
      {
        label: '¿Cuándo quieres empezar?',
        options: ['Lo antes posible', 'En un mes', 'Solo estoy mirando'],
      },
      {
        label: '¿Cuál es tu presupuesto?',
        options: ['Menos de 1.000 €', '1.000 € - 5.000 €', 'Más de 5.000 €'],
      },
    ],
    formNames: ['Presupuesto gratis', 'Promoción de primavera', 'Reserva tu cita'],
  },
  {
    locale: 'de_DE',
    first: same([
      'Lukas',
      'Anna',
      'Jürgen',
      'Sophie',
      'Maximilian',
      'Lena',
      'Jonas',
      'Marie',
      'Björn',
      'Hannah',
    ]).map(([n]) => [n, deaccent(n).toLowerCase()]),
    last: same([
      'Müller',
      'Schmidt',
      'Schneider',
      'Fischer',
      'Weber',
      'Meyer',
      'Wagner',
      'Becker',
      'Schäfer',
      'Groß',
    ]).map(([n]) => [n, deaccent(n).toLowerCase()]),
    cities: ['Berlin', 'München', 'Köln', 'Hamburg', 'Frankfurt am Main', 'Düsseldorf', 'Leipzig'],
    phone: (d) => `+4915${d.slice(0, 9)}`,
    domains: ['gmx.de', 'web.de', 't-online.de', 'gmail.com'],
    questions: [
      {
        label: 'Wann möchten Sie starten?',
        options: ['So bald wie möglich', 'Innerhalb eines Monats', 'Ich schaue nur'],
      },
      {
        label: 'Wie groß ist Ihr Budget?',
        options: ['Unter 1.000 €', '1.000 € – 5.000 €', 'Über 5.000 €'],
      },
    ],
    formNames: ['Kostenloses Angebot', 'Frühjahrsaktion', 'Beratung buchen'],
  },
  {
    locale: 'ar_AR',
    first: [
      ['محمد', 'mohammed'],
      ['فاطمة', 'fatima'],
      ['أحمد', 'ahmed'],
      ['مريم', 'maryam'],
      ['علي', 'ali'],
      ['نور', 'nour'],
      ['يوسف', 'youssef'],
      ['سارة', 'sara'],
    ],
    last: [
      ['العلي', 'alali'],
      ['حسن', 'hassan'],
      ['الخطيب', 'alkhatib'],
      ['منصور', 'mansour'],
      ['السيد', 'elsayed'],
      ['عبدالله', 'abdullah'],
    ],
    cities: ['الرياض', 'دبي', 'القاهرة', 'عمّان', 'الدار البيضاء', 'جدة'],
    phone: (d) => `+9665${d.slice(0, 8)}`,
    domains: ['gmail.com', 'hotmail.com', 'yahoo.com'],
    questions: [
      { label: 'متى تريد أن تبدأ؟', options: ['في أقرب وقت ممكن', 'خلال شهر', 'أتصفح فقط'] },
      { label: 'ما هي ميزانيتك؟', options: ['أقل من ١٠٠٠', '١٠٠٠ - ٥٠٠٠', 'أكثر من ٥٠٠٠'] },
    ],
    formNames: ['عرض سعر مجاني', 'احجز استشارة'],
  },
  {
    locale: 'hi_IN',
    first: [
      ['अमित', 'amit'],
      ['प्रिया', 'priya'],
      ['राहुल', 'rahul'],
      ['अंजलि', 'anjali'],
      ['विकास', 'vikas'],
      ['नेहा', 'neha'],
      ['अर्जुन', 'arjun'],
      ['पूजा', 'pooja'],
    ],
    last: [
      ['शर्मा', 'sharma'],
      ['वर्मा', 'verma'],
      ['गुप्ता', 'gupta'],
      ['सिंह', 'singh'],
      ['पटेल', 'patel'],
      ['कुमार', 'kumar'],
    ],
    cities: ['मुंबई', 'दिल्ली', 'बेंगलुरु', 'पुणे', 'जयपुर', 'हैदराबाद'],
    phone: (d) => `+919${d.slice(0, 9)}`,
    domains: ['gmail.com', 'yahoo.co.in', 'rediffmail.com'],
    questions: [
      {
        label: 'आप कब शुरू करना चाहते हैं?',
        options: ['जितनी जल्दी हो सके', 'एक महीने के अंदर', 'बस देख रहा हूँ'],
      },
      {
        label: 'आपका बजट क्या है?',
        options: ['₹50,000 से कम', '₹50,000 - ₹2,00,000', '₹2,00,000 से अधिक'],
      },
    ],
    formNames: ['मुफ़्त कोटेशन', 'परामर्श बुक करें'],
  },
  {
    locale: 'ja_JP',
    first: [
      ['翔太', 'shota'],
      ['さくら', 'sakura'],
      ['大輔', 'daisuke'],
      ['陽菜', 'hina'],
      ['健', 'ken'],
      ['美咲', 'misaki'],
      ['蓮', 'ren'],
      ['結衣', 'yui'],
    ],
    last: [
      ['佐藤', 'sato'],
      ['鈴木', 'suzuki'],
      ['高橋', 'takahashi'],
      ['田中', 'tanaka'],
      ['渡辺', 'watanabe'],
      ['伊藤', 'ito'],
    ],
    cities: ['東京', '大阪', '横浜', '名古屋', '札幌', '福岡', '京都'],
    phone: (d) => `+8190${d.slice(0, 8)}`,
    domains: ['gmail.com', 'yahoo.co.jp', 'docomo.ne.jp', 'icloud.com'],
    questions: [
      { label: 'いつから始めたいですか？', options: ['すぐにでも', '1か月以内', '情報収集中'] },
      {
        label: 'ご予算はどのくらいですか？',
        options: ['10万円未満', '10万〜50万円', '50万円以上'],
      },
    ],
    formNames: ['無料見積もり', '春のキャンペーン', '相談予約'],
    familyFirst: true,
  },
];

export function deaccent(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ß/g, 'ss');
}

/** Meta derives custom question keys from the label ([C]): lower case, spaces to underscores. */
export function questionKey(label: string): string {
  return label.trim().toLowerCase().replace(/\s+/g, '_');
}

export const pageNames = [
  'Sunny Side Dental',
  'Bright Solar Co.',
  'Casa Verde Inmobiliaria',
  'Autohaus Müller',
  'Lotus Yoga Studio',
  'Tokyo Ramen Lab',
  'Desert Rose Interiors',
  'Peak Fitness',
  'Blue Harbor Realty',
  'Green Thumb Landscaping',
];

export const messengerLines = {
  inbound: [
    'Hi! Is this still available?',
    'What are your opening hours?',
    'Can I book for Saturday?',
    'How much does it cost?',
    'Hola, ¿tienen disponibilidad mañana?',
    'Guten Tag, ist das Angebot noch gültig?',
    'مرحبا، هل يمكنني الحجز؟',
    'नमस्ते, क्या आप शनिवार को खुले हैं?',
    'こんにちは、予約できますか？',
    'Thanks, that works 👍',
  ],
  outbound: [
    'Hi, thanks for reaching out! Yes, it is.',
    'We are open 9–6, Monday to Saturday.',
    'Sure, what time suits you?',
  ],
};
