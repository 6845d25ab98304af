// Passwords of 12+ characters that lead breach corpora (shorter ones already fail the length rule),
// and the words that, padded with digits or symbols, make most of the rest.
export const COMMON_PASSWORDS: ReadonlySet<string> = new Set([
  "123456789012", "1234567890123", "12345678901234", "123456123456", "123123123123",
  "111111111111", "000000000000", "121212121212", "112233445566", "123321123321",
  "1q2w3e4r5t6y", "1q2w3e4r5t6y7u", "q1w2e3r4t5y6", "1qaz2wsx3edc", "zaq12wsxcde3",
  "qwertyuiop12", "qwerty123456", "qwerty12345678", "qwertyuiopasdfgh", "asdfghjkl123",
  "password1234", "password12345", "password123456", "passwordpassword", "password1234!",
  "password123!", "p@ssw0rd1234", "p@ssword1234", "passw0rd1234", "mypassword123",
  "iloveyou1234", "iloveyou123456", "letmein12345", "letmein123456", "welcome12345",
  "welcome123456", "welcome2024!", "welcome2025!", "welcome2026!", "administrator",
  "administrator1", "admin1234567", "changeme1234", "changemenow!", "trustno11234",
  "abc123456789", "abcdefghijkl", "abcdefghijklmnop", "abcd12345678", "a1b2c3d4e5f6",
  "football1234", "baseball1234", "superman1234", "starwars1234", "sunshine1234",
  "princess1234", "monkey123456", "dragon123456", "master123456", "shadow123456",
  "michael12345", "jennifer1234", "computer1234", "internet1234", "whatever1234",
  "summer2024!!", "summer20242024", "winter2024!!", "spring2024!!", "autumn2024!!",
  "qazwsxedcrfv", "qazwsxedc123", "zxcvbnm12345", "asdfqwerzxcv", "1234qwerasdf",
  "1234qwerasdfzxcv", "q1w2e3r4t5y6u7", "987654321098", "098765432109", "147258369147",
  "159753159753", "aaaaaaaaaaaa", "iloveyouforever", "letmeinletmein", "correcthorsebatterystaple",
  "cyberdiplomacy", "cyberdiplomacy1", "cyberdiplomacy123", "cybersecurity", "cybersecurity1",
  "cybersecurity123", "diplomacy1234", "diplomacy2024", "diplomacy2025", "diplomacy2026",
]);

export const COMMON_WORDS: ReadonlySet<string> = new Set([
  "password", "passwort", "passw", "pass", "qwerty", "qwertyuiop", "qwertz", "azerty",
  "letmein", "welcome", "admin", "administrator", "iloveyou", "dragon", "monkey",
  "football", "baseball", "soccer", "sunshine", "princess", "master", "shadow", "superman",
  "batman", "trustno", "starwars", "michael", "jennifer", "login", "abc", "abcdef", "test",
  "secret", "changeme", "default", "summer", "winter", "spring", "autumn", "hello",
  "freedom", "whatever", "qazwsx", "asdfgh", "asdfghjkl", "zxcvbn", "zxcvbnm", "computer",
  "internet", "diplomacy", "diplomat", "cyber", "cyberdiplomacy", "cybersecurity", "academy",
  "ministry", "embassy", "contrasena", "motdepasse", "parola", "haslo",
]);
