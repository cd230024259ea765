/** The notifications page (French first, like the product's other paths). */
export const NOTIFICATIONS_PATH = '/notifications';
