"""Contains all the data models used in inputs/outputs"""

from .catalog_categories_create_category_response_401 import (
    CatalogCategoriesCreateCategoryResponse401,
)
from .catalog_categories_create_category_response_403 import (
    CatalogCategoriesCreateCategoryResponse403,
)
from .catalog_categories_create_category_response_409 import (
    CatalogCategoriesCreateCategoryResponse409,
)
from .catalog_categories_create_category_response_422 import (
    CatalogCategoriesCreateCategoryResponse422,
)
from .catalog_categories_get_category_response_404 import CatalogCategoriesGetCategoryResponse404
from .catalog_categories_update_category_response_401 import (
    CatalogCategoriesUpdateCategoryResponse401,
)
from .catalog_categories_update_category_response_403 import (
    CatalogCategoriesUpdateCategoryResponse403,
)
from .catalog_categories_update_category_response_404 import (
    CatalogCategoriesUpdateCategoryResponse404,
)
from .catalog_categories_update_category_response_409 import (
    CatalogCategoriesUpdateCategoryResponse409,
)
from .catalog_categories_update_category_response_422 import (
    CatalogCategoriesUpdateCategoryResponse422,
)
from .catalog_products_create_product_response_401 import CatalogProductsCreateProductResponse401
from .catalog_products_create_product_response_403 import CatalogProductsCreateProductResponse403
from .catalog_products_create_product_response_409 import CatalogProductsCreateProductResponse409
from .catalog_products_create_product_response_422 import CatalogProductsCreateProductResponse422
from .catalog_products_deactivate_product_response_401 import (
    CatalogProductsDeactivateProductResponse401,
)
from .catalog_products_deactivate_product_response_403 import (
    CatalogProductsDeactivateProductResponse403,
)
from .catalog_products_deactivate_product_response_404 import (
    CatalogProductsDeactivateProductResponse404,
)
from .catalog_products_deactivate_product_response_412 import (
    CatalogProductsDeactivateProductResponse412,
)
from .catalog_products_get_product_response_404 import CatalogProductsGetProductResponse404
from .catalog_products_restock_product_response_401 import CatalogProductsRestockProductResponse401
from .catalog_products_restock_product_response_403 import CatalogProductsRestockProductResponse403
from .catalog_products_restock_product_response_404 import CatalogProductsRestockProductResponse404
from .catalog_products_restock_product_response_409 import CatalogProductsRestockProductResponse409
from .catalog_products_restock_product_response_422 import CatalogProductsRestockProductResponse422
from .catalog_products_update_product_response_401 import CatalogProductsUpdateProductResponse401
from .catalog_products_update_product_response_403 import CatalogProductsUpdateProductResponse403
from .catalog_products_update_product_response_404 import CatalogProductsUpdateProductResponse404
from .catalog_products_update_product_response_409 import CatalogProductsUpdateProductResponse409
from .catalog_products_update_product_response_412 import CatalogProductsUpdateProductResponse412
from .catalog_products_update_product_response_422 import CatalogProductsUpdateProductResponse422
from .catalog_reservations_confirm_reservation_response_401 import (
    CatalogReservationsConfirmReservationResponse401,
)
from .catalog_reservations_confirm_reservation_response_403 import (
    CatalogReservationsConfirmReservationResponse403,
)
from .catalog_reservations_confirm_reservation_response_404 import (
    CatalogReservationsConfirmReservationResponse404,
)
from .catalog_reservations_confirm_reservation_response_409 import (
    CatalogReservationsConfirmReservationResponse409,
)
from .catalog_reservations_create_reservation_response_401 import (
    CatalogReservationsCreateReservationResponse401,
)
from .catalog_reservations_create_reservation_response_403 import (
    CatalogReservationsCreateReservationResponse403,
)
from .catalog_reservations_create_reservation_response_409 import (
    CatalogReservationsCreateReservationResponse409,
)
from .catalog_reservations_create_reservation_response_422 import (
    CatalogReservationsCreateReservationResponse422,
)
from .catalog_reservations_get_reservation_response_401 import (
    CatalogReservationsGetReservationResponse401,
)
from .catalog_reservations_get_reservation_response_403 import (
    CatalogReservationsGetReservationResponse403,
)
from .catalog_reservations_get_reservation_response_404 import (
    CatalogReservationsGetReservationResponse404,
)
from .catalog_reservations_release_reservation_response_401 import (
    CatalogReservationsReleaseReservationResponse401,
)
from .catalog_reservations_release_reservation_response_403 import (
    CatalogReservationsReleaseReservationResponse403,
)
from .catalog_reservations_release_reservation_response_404 import (
    CatalogReservationsReleaseReservationResponse404,
)
from .category_create import CategoryCreate
from .category_page import CategoryPage
from .category_read import CategoryRead
from .category_update import CategoryUpdate
from .http_validation_error import HTTPValidationError
from .jwk_set import JWKSet
from .jwk_set_keys_item import JWKSetKeysItem
from .o_auth_error_body import OAuthErrorBody
from .order_create import OrderCreate
from .order_item_create import OrderItemCreate
from .order_line_read import OrderLineRead
from .order_page import OrderPage
from .order_read import OrderRead
from .order_status import OrderStatus
from .problem import Problem
from .product_create import ProductCreate
from .product_page import ProductPage
from .product_read import ProductRead
from .product_restock import ProductRestock
from .product_sort import ProductSort
from .product_update import ProductUpdate
from .reservation_create import ReservationCreate
from .reservation_item_read import ReservationItemRead
from .reservation_line import ReservationLine
from .reservation_read import ReservationRead
from .reservation_status import ReservationStatus
from .revoke_form import RevokeForm
from .server_metadata import ServerMetadata
from .token_form import TokenForm
from .token_response import TokenResponse
from .user_create import UserCreate
from .user_page import UserPage
from .user_read import UserRead
from .user_update import UserUpdate
from .user_update_roles_type_0_item import UserUpdateRolesType0Item
from .validation_error import ValidationError
from .validation_error_context import ValidationErrorContext

__all__ = (
    "CatalogCategoriesCreateCategoryResponse401",
    "CatalogCategoriesCreateCategoryResponse403",
    "CatalogCategoriesCreateCategoryResponse409",
    "CatalogCategoriesCreateCategoryResponse422",
    "CatalogCategoriesGetCategoryResponse404",
    "CatalogCategoriesUpdateCategoryResponse401",
    "CatalogCategoriesUpdateCategoryResponse403",
    "CatalogCategoriesUpdateCategoryResponse404",
    "CatalogCategoriesUpdateCategoryResponse409",
    "CatalogCategoriesUpdateCategoryResponse422",
    "CatalogProductsCreateProductResponse401",
    "CatalogProductsCreateProductResponse403",
    "CatalogProductsCreateProductResponse409",
    "CatalogProductsCreateProductResponse422",
    "CatalogProductsDeactivateProductResponse401",
    "CatalogProductsDeactivateProductResponse403",
    "CatalogProductsDeactivateProductResponse404",
    "CatalogProductsDeactivateProductResponse412",
    "CatalogProductsGetProductResponse404",
    "CatalogProductsRestockProductResponse401",
    "CatalogProductsRestockProductResponse403",
    "CatalogProductsRestockProductResponse404",
    "CatalogProductsRestockProductResponse409",
    "CatalogProductsRestockProductResponse422",
    "CatalogProductsUpdateProductResponse401",
    "CatalogProductsUpdateProductResponse403",
    "CatalogProductsUpdateProductResponse404",
    "CatalogProductsUpdateProductResponse409",
    "CatalogProductsUpdateProductResponse412",
    "CatalogProductsUpdateProductResponse422",
    "CatalogReservationsConfirmReservationResponse401",
    "CatalogReservationsConfirmReservationResponse403",
    "CatalogReservationsConfirmReservationResponse404",
    "CatalogReservationsConfirmReservationResponse409",
    "CatalogReservationsCreateReservationResponse401",
    "CatalogReservationsCreateReservationResponse403",
    "CatalogReservationsCreateReservationResponse409",
    "CatalogReservationsCreateReservationResponse422",
    "CatalogReservationsGetReservationResponse401",
    "CatalogReservationsGetReservationResponse403",
    "CatalogReservationsGetReservationResponse404",
    "CatalogReservationsReleaseReservationResponse401",
    "CatalogReservationsReleaseReservationResponse403",
    "CatalogReservationsReleaseReservationResponse404",
    "CategoryCreate",
    "CategoryPage",
    "CategoryRead",
    "CategoryUpdate",
    "HTTPValidationError",
    "JWKSet",
    "JWKSetKeysItem",
    "OAuthErrorBody",
    "OrderCreate",
    "OrderItemCreate",
    "OrderLineRead",
    "OrderPage",
    "OrderRead",
    "OrderStatus",
    "Problem",
    "ProductCreate",
    "ProductPage",
    "ProductRead",
    "ProductRestock",
    "ProductSort",
    "ProductUpdate",
    "ReservationCreate",
    "ReservationItemRead",
    "ReservationLine",
    "ReservationRead",
    "ReservationStatus",
    "RevokeForm",
    "ServerMetadata",
    "TokenForm",
    "TokenResponse",
    "UserCreate",
    "UserPage",
    "UserRead",
    "UserUpdate",
    "UserUpdateRolesType0Item",
    "ValidationError",
    "ValidationErrorContext",
)
