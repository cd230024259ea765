/**
 * French elides « de », « que », « le »… before a vowel: « les rôles d’Inès », not « de Inès ». A
 * message that puts a person's name after such a word asks for `{nameElides, select, yes {d’}
 * other {de }}{name}`; this gives both values. A name beginning with h keeps « de » (« de Hugo »):
 * whether its h is mute cannot be told from the spelling, and « de » before h is always correct.
 */
export function nameValues(name: string): { name: string; nameElides: 'yes' | 'no' } {
  return { name, nameElides: /^[aeiouyàâäæéèêëîïôöœùûü]/i.test(name.trim()) && !/^y[aeiouéèê]/i.test(name.trim()) ? 'yes' : 'no' };
}
